package dev.redisstarter.console;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;

import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobState;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The console's JSON API on a real Redis: each view's contract, writes refused while disabled and done when
 * enabled, cross-site and header-less writes refused, requests without the role refused.
 */
@RealRedis
class ConsoleApiTests {

	private static final Duration WITHIN = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SCRIPT = "<script>alert('console')</script>";

	record Email(String to, String body) {
	}

	static class Handlers {

		final AtomicBoolean failing = new AtomicBoolean(true);

		final AtomicBoolean ordersHandled = new AtomicBoolean();

		@JobHandler(queue = "${test.queue}")
		void send(Email email) {
			if (this.failing.get()) {
				throw new IllegalStateException("mailbox " + email.to() + " does not exist");
			}
		}

		@StreamListener(stream = "${test.stream}", group = "billing")
		void order(String order) {
			if (this.failing.get()) {
				throw new IllegalStateException("poison order");
			}
			this.ordersHandled.set(true);
		}

	}

	private final String queue = "console-q-" + UUID.randomUUID();

	private final String stream = "console-s-" + UUID.randomUUID();

	private WebApplicationContextRunner runner() {
		return ConsoleContexts.runner(SharedRedis.standalone())
			.withBean(Handlers.class)
			.withPropertyValues("test.queue=" + this.queue, "test.stream=" + this.stream,
					"redis.starter.console.payload-preview=40", "redis.starter.console.sample-size=200");
	}

	@Test
	void everyViewAnswersItsContractAndWritesAre403WhileDisabled() {
		runner().run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String jobId = jobs.enqueue(this.queue, new Email("fail@example.com", SCRIPT + "x".repeat(200)));
			context.getBean(StreamPublisher.class).add(this.stream, "poison");
			await().atMost(WITHIN).until(() -> jobs.counts(this.queue).dead() == 1
					&& context.getBean(DeadLetters.class).count(this.stream) == 1);
			MockMvc mvc = ConsoleContexts.mvc(context);
			String api = "/redis-starter/api/";

			JsonNode overview = json(mvc, get(api + "overview").with(ConsoleContexts.withRole()), 200);
			assertThat(overview.get("circuit").get("state").asString()).isEqualTo("closed");
			assertThat(overview.get("writeEnabled").asBoolean()).isFalse();
			assertThat(overview.get("health").get("jobqueues").asString()).isEqualTo("UP");
			assertThat(overview.get("health").get("streams").asString()).isEqualTo("UP");
			JsonNode server = overview.get("server").get(0);
			assertThat(server.get("version").asString()).isNotBlank();
			assertThat(server.get("usedMemory").asLong()).isPositive();
			assertThat(server.get("usedMemoryPeak").asLong()).isGreaterThanOrEqualTo(server.get("usedMemory").asLong() / 2);
			assertThat(server.get("maxmemoryPolicy").asString()).isNotBlank();
			assertThat(server.get("connectedClients").asLong()).isPositive();
			assertThat(server.has("opsPerSecond")).isTrue();
			assertThat(server.get("keyspaceHits").isNumber()).isTrue();
			assertThat(server.get("keyspaceMisses").isNumber()).isTrue();

			// A worker checks in at its first stalled check, within stalled-interval of its start.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !context.getBean(JobQueue.class).workers(this.queue, 10).isEmpty());
			JsonNode queues = json(mvc, get(api + "queues").with(ConsoleContexts.withRole()), 200).get("queues");
			JsonNode shown = find(queues, "name", this.queue);
			assertThat(shown.get("dead").asLong()).isEqualTo(1);
			assertThat(shown.get("waiting").asLong()).isZero();
			assertThat(shown.get("workers")).hasSize(1);
			JsonNode instance = shown.get("instances").get(0);
			assertThat(instance.get("handler").asString()).isEqualTo(shown.get("workers").get(0).get("handler").asString());
			assertThat(instance.get("instance").asString()).isNotBlank();
			assertThat(instance.get("checkedInAt").asString()).isNotBlank();
			JsonNode letter = shown.get("deadLetters").get(0);
			assertThat(letter.get("id").asString()).isEqualTo(jobId);
			assertThat(letter.get("errorMessage").asString()).contains("does not exist");
			assertThat(letter.get("payload").asString()).as("cut to the preview").hasSize(41).endsWith("\u2026");

			JsonNode dead = json(mvc, get(api + "queues/" + this.queue + "/jobs?state=dead").with(ConsoleContexts.withRole()), 200);
			assertThat(dead.get("total").asLong()).isEqualTo(1);
			assertThat(dead.get("jobs").get(0).get("id").asString()).isEqualTo(jobId);
			assertThat(dead.get("jobs").get(0).get("state").asString()).isEqualTo("dead");
			assertThat(dead.get("jobs").get(0).get("payload").asString()).as("cut to the preview").hasSize(41)
				.endsWith("\u2026");
			JsonNode waiting = json(mvc, get(api + "queues/" + this.queue + "/jobs?state=waiting").with(ConsoleContexts.withRole()), 200);
			assertThat(waiting.get("total").asLong()).isZero();
			json(mvc, get(api + "queues/" + this.queue + "/jobs?state=lost").with(ConsoleContexts.withRole()), 400);
			JsonNode job = json(mvc, get(api + "queues/" + this.queue + "/jobs/" + jobId).with(ConsoleContexts.withRole()), 200);
			assertThat(job.get("payload").asString()).as("whole in the job's own view").contains(SCRIPT).hasSizeGreaterThan(200);
			json(mvc, get(api + "queues/" + this.queue + "/jobs/no-such-job").with(ConsoleContexts.withRole()), 404);

			JsonNode streams = json(mvc, get(api + "streams").with(ConsoleContexts.withRole()), 200);
			JsonNode orders = find(streams.get("streams"), "name", this.stream);
			assertThat(orders.get("length").asLong()).isEqualTo(1);
			assertThat(orders.get("deadLetterCount").asLong()).isEqualTo(1);
			assertThat(orders.get("groups").get(0).get("name").asString()).isEqualTo("billing");
			assertThat(orders.get("groups").get(0).has("lag")).isTrue();
			assertThat(orders.get("groups").get(0).has("oldestPendingAgeMillis")).isTrue();
			assertThat(orders.get("deadLetters").get(0).get("deliveries").asLong()).isEqualTo(1);
			assertThat(orders.get("deadLetters").get(0).get("message").asString()).as("cut to the preview")
				.startsWith("failed on its only delivery: poison").hasSize(41);

			JsonNode meters = json(mvc, get(api + "meters").with(ConsoleContexts.withRole()), 200);
			assertThat(meters.get("groups").propertyNames()).containsExactly("caches", "limits", "locks", "sessions");

			JsonNode insight = json(mvc, get(api + "server").with(ConsoleContexts.withRole()), 200);
			assertThat(insight.get("sampleSize").asInt()).isEqualTo(200);
			assertThat(insight.get("sampleTimeBudgetMillis").asLong()).isEqualTo(250);
			JsonNode node = insight.get("nodes").get(0);
			assertThat(node.get("slowlog").isArray()).isTrue();
			JsonNode sample = node.get("sample");
			assertThat(sample.get("sampled").asLong()).isPositive().isLessThanOrEqualTo(200);
			assertThat(sample.get("stoppedBy").asString()).isIn("size", "time", "end");
			assertThat(sample.get("biggest").size()).isBetween(1, 10);
			assertThat(sample.get("byPrefix").size()).isPositive();

			String refused = "The console is read-only: writes need redis.starter.console.write-enabled=true";
			assertThat(json(mvc, post(api + "queues/" + this.queue + "/jobs/" + jobId + "/retry")
				.with(ConsoleContexts.fromThePage()), 403).get("error").asString()).isEqualTo(refused);
			json(mvc, delete(api + "queues/" + this.queue + "/jobs/" + jobId).with(ConsoleContexts.fromThePage()), 403);
			json(mvc, post(api + "queues/" + this.queue + "/pause").with(ConsoleContexts.fromThePage()), 403);
			json(mvc, post(api + "queues/" + this.queue + "/resume").with(ConsoleContexts.fromThePage()), 403);
			json(mvc, post(api + "queues/" + this.queue + "/jobs/" + jobId + "/promote").with(ConsoleContexts.fromThePage()), 403);
			json(mvc, post(api + "queues/" + this.queue + "/dead-letters/purge").with(ConsoleContexts.fromThePage()), 403);
			String deadLetterId = context.getBean(DeadLetters.class).list(this.stream, 1).get(0).id();
			json(mvc, post(api + "streams/" + this.stream + "/dead-letters/" + deadLetterId + "/replay")
				.with(ConsoleContexts.fromThePage()), 403);
			assertThat(jobs.job(this.queue, jobId).orElseThrow().state()).isEqualTo(JobState.DEAD);
			assertThat(context.getBean(DeadLetters.class).count(this.stream)).isEqualTo(1);
		});
	}

	@Test
	void withWritesEnabledAJobIsRetriedAndDeletedAQueuePausedAndADeadLetterReplayed() {
		runner().withPropertyValues("redis.starter.console.write-enabled=true").run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String retried = jobs.enqueue(this.queue, new Email("fail-1@example.com", "one"));
			String deleted = jobs.enqueue(this.queue, new Email("fail-2@example.com", "two"));
			context.getBean(StreamPublisher.class).add(this.stream, "poison");
			DeadLetters streamDeadLetters = context.getBean(DeadLetters.class);
			await().atMost(WITHIN).until(() -> jobs.counts(this.queue).dead() == 2 && streamDeadLetters.count(this.stream) == 1);
			MockMvc mvc = ConsoleContexts.mvc(context);
			String api = "/redis-starter/api/";
			assertThat(json(mvc, get(api + "overview").with(ConsoleContexts.withRole()), 200).get("writeEnabled").asBoolean()).isTrue();

			assertThat(json(mvc, delete(api + "queues/" + this.queue + "/jobs/" + deleted).with(ConsoleContexts.fromThePage()), 200)
				.get("deleted").asInt()).isEqualTo(1);
			assertThat(jobs.job(this.queue, deleted)).isEmpty();
			context.getBean(Handlers.class).failing.set(false);
			assertThat(json(mvc, post(api + "queues/" + this.queue + "/jobs/" + retried + "/retry").with(ConsoleContexts.fromThePage()), 200)
				.get("retried").asInt()).isEqualTo(1);
			await().atMost(WITHIN).until(() -> jobs.job(this.queue, retried).orElseThrow().state() == JobState.COMPLETED);
			json(mvc, post(api + "queues/" + this.queue + "/jobs/" + retried + "/retry").with(ConsoleContexts.fromThePage()), 404);

			String deadLetterId = streamDeadLetters.list(this.stream, 1).get(0).id();
			// An id that is not a whole entry id (a range to XRANGE: it could find one entry and XDEL another).
			for (String partial : List.of(deadLetterId.substring(0, deadLetterId.indexOf('-')), "-", "(0")) {
				json(mvc, post(api + "streams/" + this.stream + "/dead-letters/" + partial + "/replay")
					.with(ConsoleContexts.fromThePage()), 400);
			}
			assertThat(streamDeadLetters.count(this.stream)).as("not replayed by a partial id").isOne();
			JsonNode replayed = json(mvc, post(api + "streams/" + this.stream + "/dead-letters/" + deadLetterId + "/replay")
				.with(ConsoleContexts.fromThePage()), 200);
			assertThat(replayed.get("replayed").asInt()).isEqualTo(1);
			await().atMost(WITHIN).untilTrue(context.getBean(Handlers.class).ordersHandled);
			assertThat(streamDeadLetters.count(this.stream)).isZero();

			assertThat(json(mvc, post(api + "queues/" + this.queue + "/pause?seconds=30").with(ConsoleContexts.fromThePage()), 200)
				.get("pausedForMillis").asLong()).isEqualTo(30_000);
			assertThat(jobs.counts(this.queue).pausedForMillis()).isPositive();

			assertThat(json(mvc, post(api + "queues/" + this.queue + "/resume").with(ConsoleContexts.fromThePage()), 200)
				.get("pauseLeftMillis").asLong()).isPositive();
			assertThat(jobs.counts(this.queue).pausedForMillis()).isZero();
			String later = jobs.enqueue(this.queue, new Email("later@example.com", "later"),
					dev.redisstarter.messaging.queue.JobOptions.defaults().withDelay(Duration.ofHours(1)));
			assertThat(json(mvc, post(api + "queues/" + this.queue + "/jobs/" + later + "/promote").with(ConsoleContexts.fromThePage()), 200)
				.get("promoted").asInt()).isEqualTo(1);
			await().atMost(WITHIN).until(() -> jobs.job(this.queue, later).orElseThrow().state() == JobState.COMPLETED);
			json(mvc, post(api + "queues/" + this.queue + "/jobs/" + later + "/promote").with(ConsoleContexts.fromThePage()), 404);

			context.getBean(Handlers.class).failing.set(true);
			jobs.enqueue(this.queue, new Email("fail-3@example.com", "three"));
			await().atMost(WITHIN).until(() -> jobs.counts(this.queue).dead() == 1);
			assertThat(json(mvc, post(api + "queues/" + this.queue + "/dead-letters/purge").with(ConsoleContexts.fromThePage()), 200)
				.get("purged").asInt()).isEqualTo(1);
			assertThat(jobs.counts(this.queue).dead()).isZero();
		});
	}

	@Test
	void aCrossSiteOrHeaderlessWriteAndARequestWithoutTheRoleAre403() {
		runner().withPropertyValues("redis.starter.console.write-enabled=true").run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String jobId = jobs.enqueue(this.queue, new Email("fail@example.com", "one"));
			await().atMost(WITHIN).until(() -> jobs.counts(this.queue).dead() == 1);
			MockMvc mvc = ConsoleContexts.mvc(context);
			String retry = "/redis-starter/api/queues/" + this.queue + "/jobs/" + jobId + "/retry";

			assertThat(json(mvc, post(retry).with(ConsoleContexts.withRole()), 403).get("error").asString())
				.contains("X-Requested-With");
			assertThat(json(mvc, post(retry).with(ConsoleContexts.withRole())
				.header("X-Requested-With", "XMLHttpRequest")
				.header("Host", "localhost")
				.header("Origin", "https://evil.example"), 403).get("error").asString())
				.isEqualTo("Cross-site requests are refused");
			json(mvc, post(retry).with(ConsoleContexts.withRole())
				.header("X-Requested-With", "XMLHttpRequest")
				.header("Sec-Fetch-Site", "cross-site"), 403);
			assertThat(json(mvc, get("/redis-starter/api/overview"), 403).get("error").asString())
				.isEqualTo("The console needs the role REDIS_STARTER_CONSOLE");
			assertThat(mvc.perform(get("/redis-starter/")).andReturn().getResponse().getStatus()).isEqualTo(403);
			assertThat(jobs.job(this.queue, jobId).orElseThrow().state()).as("never retried").isEqualTo(JobState.DEAD);
		});
	}

	static JsonNode json(MockMvc mvc, RequestBuilder request, int status) throws Exception {
		MvcResult result = mvc.perform(request).andReturn();
		String body = result.getResponse().getContentAsString();
		assertThat(result.getResponse().getStatus()).as(body).isEqualTo(status);
		return JSON.readTree(body);
	}

	static JsonNode find(JsonNode array, String field, String value) {
		for (JsonNode item : array) {
			if (item.get(field).asString().equals(value)) {
				return item;
			}
		}
		throw new AssertionError("No " + field + " " + value + " in " + array);
	}

}
