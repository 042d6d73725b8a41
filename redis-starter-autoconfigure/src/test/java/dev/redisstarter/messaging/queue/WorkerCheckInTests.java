package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link JobQueue#workers}: every instance's workers of a queue, from their check-ins; a worker that stops leaves at
 * once, one whose instance lost Redis (as if it crashed) leaves three stalled intervals after its last check-in.
 */
class WorkerCheckInTests {

	static class Mailer {

		@JobHandler(queue = "${test.queue}", concurrency = 3)
		void send(String mail) {
		}

	}

	@Test
	void theWorkersOfEveryInstanceAreListedAndLeaveWhenTheyStopOnOneServer() {
		theWorkersOfEveryInstanceAreListedAndLeaveWhenTheyStop(SharedRedis.standalone());
	}

	@Test
	void theWorkersOfEveryInstanceAreListedAndLeaveWhenTheyStopOnACluster() {
		theWorkersOfEveryInstanceAreListedAndLeaveWhenTheyStop(SharedRedis.cluster());
	}

	private static void theWorkersOfEveryInstanceAreListedAndLeaveWhenTheyStop(RedisDeployment redis) {
		String queue = "check-in-" + UUID.randomUUID();
		ApplicationContextRunner instance = QueueContexts.runner(redis)
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.stalled-interval=200ms")
			.withBean(Mailer.class);
		instance.run((first) -> {
			JobQueue jobs = first.getBean(JobQueue.class);
			instance.run((second) -> {
				// Both listed and past their start: a check-in written while a worker was still starting says "waiting".
				await().atMost(Duration.ofSeconds(5)).until(() -> jobs.workers(queue, 10).stream()
					.filter((worker) -> worker.state() == WorkerStatus.RUNNING).count() == 2);
				List<WorkerCheckIn> workers = jobs.workers(queue, 10);
				assertThat(workers).extracting(WorkerCheckIn::instance).doesNotHaveDuplicates();
				assertThat(workers).allSatisfy((worker) -> {
					assertThat(worker.handler()).isEqualTo("Mailer.send");
					assertThat(worker.concurrency()).isEqualTo(3);
					assertThat(worker.state()).isEqualTo(WorkerStatus.RUNNING);
					assertThat(worker.circuit()).isEqualTo("closed");
					assertThat(Duration.between(worker.checkedInAt(), worker.listedUntil()))
						.isEqualTo(Duration.ofMillis(600));
				});
				assertThat(jobs.workers(queue, 1)).hasSize(1);
			});
			assertThat(jobs.workers(queue, 10)).as("a stopped worker leaves at once").hasSize(1);
		});
	}

	@Test
	void aWorkerWhoseInstanceLostRedisLeavesThreeIntervalsAfterItsLastCheckIn() {
		RedisServer redis = SharedRedis.standalone();
		String queue = "check-in-" + UUID.randomUUID();
		ApplicationContextRunner instance = QueueContexts.runner(redis)
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.stalled-interval=200ms")
			.withBean(Mailer.class);
		try (FaultProxy proxy = FaultProxy.inFrontOf(SharedRedis.standalone())) {
			instance.run((observer) -> {
				JobQueue jobs = observer.getBean(JobQueue.class);
				instance.withPropertyValues("spring.data.redis.url=" + proxy.url()).run((lost) -> {
					// Both listed and past their start: a check-in written while a worker was still starting says "waiting".
				await().atMost(Duration.ofSeconds(5)).until(() -> jobs.workers(queue, 10).stream()
					.filter((worker) -> worker.state() == WorkerStatus.RUNNING).count() == 2);
					proxy.set(Fault.BLACK_HOLE);
					Instant cut = Instant.now();
					await().atMost(Duration.ofSeconds(5)).until(() -> jobs.workers(queue, 10).size() == 1);
					assertThat(Duration.between(cut, Instant.now())).as("kept for three intervals of 200 ms")
						.isLessThan(Duration.ofMillis(1_500));
					proxy.pass();
					await("back after Redis answers again").atMost(Duration.ofSeconds(10))
						.until(() -> jobs.workers(queue, 10).size() == 2);
				});
			});
		}
	}

	@Test
	void checkInsNeverOutliveTheQueuesWorkers() {
		RedisDeployment redis = SharedRedis.standalone();
		String queue = "check-in-" + UUID.randomUUID();
		QueueContexts.runner(redis)
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.stalled-interval=200ms")
			.withBean(Mailer.class)
			.run((context) -> await().atMost(Duration.ofSeconds(5))
				.until(() -> context.getBean(JobQueue.class).workers(queue, 10).size() == 1));
		QueueContexts.runner(redis).run((context) -> {
			StringRedisTemplate template = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			String base = context.getBean(QueueKeys.class).base(queue);
			assertThat(template.hasKey(base + ":workers")).as("emptied by the stop").isFalse();
			assertThat(template.hasKey(base + ":workers:info")).isFalse();
		});
	}

	@Test
	void theCheckInHashExpiresEvenWhenTheSortedSetOutlivesThisWorkersCheckIn() {
		RedisDeployment redis = SharedRedis.standalone();
		String queue = "check-in-" + UUID.randomUUID();
		QueueContexts.runner(redis)
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.stalled-interval=200ms")
			.withBean(Mailer.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> jobs.workers(queue, 10).size() == 1);
				StringRedisTemplate template = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
				String base = context.getBean(QueueKeys.class).base(queue);
				// As a worker with a longer stalled-interval leaves it, and the hash lost (evicted, deleted by hand).
				template.expire(base + ":workers", Duration.ofHours(1));
				template.delete(base + ":workers:info");
				await().atMost(Duration.ofSeconds(5)).until(() -> template.hasKey(base + ":workers:info"));
				Long ttl = template.getExpire(base + ":workers:info", TimeUnit.MILLISECONDS);
				assertThat(ttl).as("the hash written again expires with its check-ins").isPositive();
			});
	}

}
