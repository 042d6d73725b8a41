package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.convert.support.ConfigurableConversionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.autoconfigure.ActuatorOperations;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterQueueAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.messaging.queue.actuate.JobQueuesHealthIndicator;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/jobqueues} (counts, workers, dead letters, one job in full; replay and purge as write
 * operations that exist only with {@code access=unrestricted}) and the {@code jobqueues} health component (DOWN while Redis is stopped, UP again once the workers
 * resume by themselves).
 */
@RealRedis
class JobQueuesEndpointTests {

	private static final Duration WITHIN = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	record Email(String to) {
	}

	static class Mailer {

		final AtomicBoolean failing = new AtomicBoolean(true);

		final QueueContexts.Received<String> sent = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 2)
		void send(Email email) {
			if (email.to().startsWith("fail") && this.failing.get()) {
				throw new IllegalStateException("mailbox " + email.to() + " does not exist");
			}
			this.sent.add(email.to());
		}

	}

	private static String queue() {
		return "endpoint-" + UUID.randomUUID();
	}

	@Test
	void theEndpointListsEveryKnownQueueWithItsCountsWorkersAndDeadLettersAndShowsAJobInFull() {
		String queue = queue();
		String configured = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + configured + ".attempts=2",
					"management.endpoints.web.exposure.include=jobqueues")
			.withBean(Mailer.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				JobQueuesEndpoint endpoint = context.getBean(JobQueuesEndpoint.class);
				jobs.enqueue(queue, new Email("ok@example.com"));
				String dead = jobs.enqueue(queue, new Email("fail@example.com"), JobOptions.defaults().withAttempts(2));
				jobs.enqueue(queue, new Email("later@example.com"), JobOptions.defaults().withDelay(Duration.ofMinutes(5)));
				await().atMost(WITHIN).until(() -> jobs.counts(queue).dead() == 1 && jobs.counts(queue).completed() == 1);

				Map<String, JobQueuesEndpoint.QueueDescriptor> queues = endpoint.queues().queues();
				assertThat(queues).containsOnlyKeys(queue, configured);
				JobQueuesEndpoint.QueueDescriptor shown = queues.get(queue);
				assertThat(List.of(shown.waiting(), shown.delayed(), shown.active(), shown.completed(), shown.dead(),
						shown.pausedForMillis()))
					.containsExactly(0L, 1L, 0L, 1L, 1L, 0L);
				assertThat(shown.error()).isNull();
				assertThat(shown.workers()).singleElement().satisfies((worker) -> {
					assertThat(worker.handler()).isEqualTo("Mailer.send");
					assertThat(worker.concurrency()).isEqualTo(2);
					assertThat(worker.state()).isEqualTo(WorkerStatus.RUNNING);
				});
				assertThat(shown.deadLetters()).singleElement()
					.satisfies((letter) -> {
						assertThat(letter.id()).isEqualTo(dead);
						assertThat(letter.attempts()).isEqualTo(2);
						assertThat(letter.errorType()).isEqualTo(IllegalStateException.class.getName());
						assertThat(letter.errorMessage()).isEqualTo("mailbox fail@example.com does not exist");
						assertThat(letter.finishedAt()).isNotNull();
						assertThat(letter.payload()).contains("fail@example.com");
					});
				// A queue configured by name but handled elsewhere: its counts, no worker here.
				JobQueuesEndpoint.QueueDescriptor elsewhere = queues.get(configured);
				assertThat(List.of(elsewhere.waiting(), elsewhere.dead())).containsExactly(0L, 0L);
				assertThat(elsewhere.workers()).isEmpty();
				assertThat(elsewhere.deadLetters()).isEmpty();

				JobQueuesEndpoint.QueueDescriptor one = endpoint.queue(queue);
				assertThat(List.of(one.dead(), one.delayed())).containsExactly(1L, 1L);
				assertThat(one.deadLetters()).hasSize(1);

				JobInfo job = endpoint.job(queue, dead);
				assertThat(job).isNotNull();
				assertThat(job.state()).isEqualTo(JobState.DEAD);
				assertThat(job.stackTrace()).contains("at ").contains("Mailer.send");
				assertThat(job.history()).extracting(JobError::attempt).containsExactly(1, 2);
				assertThat(job.history()).extracting(JobError::message)
					.containsOnly("mailbox fail@example.com does not exist");
				assertThat(endpoint.job(queue, "no-such-job")).as("null: Actuator answers 404").isNull();
			});
	}

	@Test
	void byDefaultTheEndpointIsReadOnlyItsListingAndAJobStillAnswer() {
		String queue = queue();
		webRunner(queue).run((context) -> {
			Map<String, WebOperation> operations = ActuatorOperations.of(context, "jobqueues");
			assertThat(operations).as("replay and purge are not there: 404 / 405 over HTTP")
				.containsOnlyKeys("GET jobqueues", "GET jobqueues/{queue}", "GET jobqueues/{queue}/{jobId}");
			String dead = context.getBean(JobQueue.class).enqueue(queue, new Email("fail@example.com"));
			await().atMost(WITHIN).until(() -> context.getBean(JobQueue.class).counts(queue).dead() == 1);
			JsonNode listing = JSON.valueToTree(operations.get("GET jobqueues").invoke(ActuatorOperations.invocation(Map.of())));
			assertThat(listing.get("queues").get(queue).get("dead").asLong()).isEqualTo(1);
			JsonNode job = JSON.valueToTree(invoke(operations.get("GET jobqueues/{queue}/{jobId}"), queue, dead));
			assertThat(job.get("state").asString()).isEqualTo("dead");
		});
	}

	@Test
	void replayAndPurgeAreWriteAndDeleteOperationsOnQueueAndJobIdOrAllWithAccessUnrestricted() {
		String queue = queue();
		webRunner(queue).withPropertyValues("management.endpoint.jobqueues.access=unrestricted")
			.run((context) -> {
				Map<String, WebOperation> operations = ActuatorOperations.of(context, "jobqueues");
				assertThat(operations).containsOnlyKeys("GET jobqueues", "GET jobqueues/{queue}",
						"GET jobqueues/{queue}/{jobId}", "POST jobqueues/{queue}/{jobId}",
						"DELETE jobqueues/{queue}/{jobId}");
				WebOperation post = operations.get("POST jobqueues/{queue}/{jobId}");
				WebOperation delete = operations.get("DELETE jobqueues/{queue}/{jobId}");

				JobQueue jobs = context.getBean(JobQueue.class);
				Mailer mailer = context.getBean(Mailer.class);
				String first = jobs.enqueue(queue, new Email("fail-1@example.com"));
				String second = jobs.enqueue(queue, new Email("fail-2@example.com"));
				await().atMost(WITHIN).until(() -> jobs.counts(queue).dead() == 2);

				assertThat(invoke(post, queue, "no-such-job")).isEqualTo(new JobQueuesEndpoint.Replayed(0));
				mailer.failing.set(false);
				assertThat(JSON.valueToTree(invoke(post, queue, first)).toString()).as("the JSON the README documents")
					.isEqualTo("{\"replayed\":1}");
				await().atMost(WITHIN).until(() -> mailer.sent.snapshot().contains("fail-1@example.com"));
				assertThat(jobs.job(queue, first)).get().extracting(JobInfo::state).isEqualTo(JobState.COMPLETED);

				mailer.failing.set(true);
				String third = jobs.enqueue(queue, new Email("fail-3@example.com"));
				await().atMost(WITHIN).until(() -> jobs.counts(queue).dead() == 2);
				assertThat(JSON.valueToTree(invoke(delete, queue, second)).toString()).isEqualTo("{\"purged\":1}");
				assertThat(invoke(delete, queue, second)).isEqualTo(new JobQueuesEndpoint.Purged(0));
				assertThat(jobs.job(queue, second)).isEmpty();
				assertThat(invoke(operations.get("GET jobqueues/{queue}/{jobId}"), queue, second)).as("404").isNull();
				String fourth = jobs.enqueue(queue, new Email("fail-4@example.com"));
				await().atMost(WITHIN).until(() -> jobs.counts(queue).dead() == 2);

				mailer.failing.set(false);
				assertThat(invoke(post, queue, JobQueuesEndpoint.ALL)).isEqualTo(new JobQueuesEndpoint.Replayed(2));
				await().atMost(WITHIN)
					.until(() -> mailer.sent.snapshot().containsAll(List.of("fail-3@example.com", "fail-4@example.com")));
				mailer.failing.set(true);
				jobs.enqueue(queue, new Email("fail-5@example.com"));
				jobs.enqueue(queue, new Email("fail-6@example.com"));
				await().atMost(WITHIN).until(() -> jobs.counts(queue).dead() == 2);
				assertThat(invoke(delete, queue, JobQueuesEndpoint.ALL)).isEqualTo(new JobQueuesEndpoint.Purged(2));
				assertThat(jobs.counts(queue).dead()).isZero();
				assertThat(List.of(third, fourth)).allSatisfy(
						(id) -> assertThat(jobs.job(queue, id)).get().extracting(JobInfo::state).isEqualTo(JobState.COMPLETED));

				// The listing as JSON: the field names the README documents.
				Object listing = operations.get("GET jobqueues").invoke(ActuatorOperations.invocation(Map.of()));
				JsonNode json = JSON.valueToTree(listing);
				JsonNode shown = json.get("queues").get(queue);
				assertThat(shown.propertyNames()).containsExactlyInAnyOrder("waiting", "delayed", "active", "completed", "dead",
						"pausedForMillis", "deadTrimmed", "unhandled", "workers", "deadLetters");
				assertThat(shown.get("completed").asLong()).isEqualTo(3);
				assertThat(shown.get("workers").get(0).propertyNames()).containsExactlyInAnyOrder("queue", "handler",
						"concurrency", "state", "held", "circuit", "circuitOpenings", "circuitError");
				assertThat(shown.get("workers").get(0).get("state").asString()).as("the status as before: lower case")
					.isEqualTo("running");
				assertThatExceptionOfType(InvalidEndpointRequestException.class).as("400 for a name with braces")
					.isThrownBy(() -> invoke(post, "a{b}", JobQueuesEndpoint.ALL));
			});
	}

	@Test
	void healthIsDownWhileRedisIsStoppedTheListingStillAnswersAndWorkersResumeByThemselves() throws Exception {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			QueueContexts.runner(server)
				.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.idle-wait=500ms",
						"redis.starter.queue.defaults.lease=2s", "management.endpoints.web.exposure.include=jobqueues")
				.withBean(Mailer.class)
				.run((context) -> {
					JobQueuesHealthIndicator health = (JobQueuesHealthIndicator) context.getBean("jobqueuesHealthContributor");
					JobQueuesEndpoint endpoint = context.getBean(JobQueuesEndpoint.class);
					JobQueue jobs = context.getBean(JobQueue.class);
					Mailer mailer = context.getBean(Mailer.class);
					await().atMost(WITHIN).until(() -> status(health).equals(Status.UP));
					assertThat((Map<String, Object>) health.health(true).getDetails().get("queues")).containsOnlyKeys(queue);

					server.stop();
					await().atMost(WITHIN).until(() -> status(health).equals(Status.DOWN));
					Health down = health.health(true);
					assertThat((Map<String, Map<String, Object>>) down.getDetails().get("queues")).extractingByKey(queue)
						.satisfies((worker) -> assertThat(worker).containsEntry("state", "waiting")
							.containsEntry("concurrency", 2)
							.containsEntry("handler", "Mailer.send")
							.containsKey("held"));
					long started = System.nanoTime();
					JobQueuesEndpoint.QueueDescriptor shown = endpoint.queues().queues().get(queue);
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
					assertThat(shown.waiting()).isNull();
					assertThat(shown.dead()).isNull();
					assertThat(shown.error()).isNotBlank();
					assertThat(shown.workers()).hasSize(1);
					JsonNode json = JSON.valueToTree(shown);
					assertThat(json.get("waiting").isNull()).as("null counts are shown as null").isTrue();
					assertThat(json.get("error").asString()).isEqualTo(shown.error());
					assertThatExceptionOfType(JobQueueUnavailableException.class).as("503")
						.isThrownBy(() -> endpoint.replay(queue, JobQueuesEndpoint.ALL));

					server.start();
					await().atMost(Duration.ofSeconds(15)).until(() -> status(health).equals(Status.UP));
					// The restarted server is empty; a job enqueued now is taken by the resumed worker.
					String id = await().atMost(WITHIN)
						.ignoreExceptions()
						.until(() -> jobs.enqueue(queue, new Email("after@example.com"),
								JobOptions.defaults().withJobId("after-restart")), (enqueued) -> true);
					await().atMost(WITHIN).until(() -> mailer.sent.snapshot().contains("after@example.com"));
					await().atMost(WITHIN).until(() -> jobs.job(queue, id).map(JobInfo::state).orElse(null) == JobState.COMPLETED);
				});
		}
	}

	@Test
	void theEndpointIsOnlyThereWhenExposedAndTheHealthComponentAlways() {
		QueueContexts.runner(SharedRedis.standalone()).run((context) -> {
			assertThat(context).doesNotHaveBean(JobQueuesEndpoint.class);
			assertThat(context).hasBean("jobqueuesHealthContributor");
			assertThat(status(context.getBean(JobQueuesHealthIndicator.class))).as("no @JobHandler: nothing is down")
				.isEqualTo(Status.UP);
		});
	}

	private static WebApplicationContextRunner webRunner(String queue) {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterRateLimitAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.withPropertyValues("redis.starter.queue.defaults.backoff.initial=50ms", "redis.starter.queue.defaults.attempts=1",
					"test.queue=" + queue, "management.endpoints.web.exposure.include=jobqueues")
			// As in an application: Boot's conversion service reads "unrestricted" as Access.UNRESTRICTED.
			.withInitializer((context) -> context.getEnvironment()
				.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
			.withBean(Mailer.class);
	}


	private static Status status(JobQueuesHealthIndicator health) {
		Health result = health.health(false);
		return result.getStatus();
	}


	private static @Nullable Object invoke(WebOperation operation, String queue, String jobId) {
		return operation.invoke(ActuatorOperations.invocation(Map.<String, Object>of("queue", queue, "jobId", jobId)));
	}

}
