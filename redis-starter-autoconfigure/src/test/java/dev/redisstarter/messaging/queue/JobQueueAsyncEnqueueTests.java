package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code enqueueAsync}: many jobs sent without waiting are all stored, each future carrying its job's id; failures
 * come through the future within the queue timeout; the bound on calls in flight holds a producer back; bad input is
 * thrown at once; on standalone and Cluster.
 */
class JobQueueAsyncEnqueueTests {

	record Task(int number) {
	}

	private static String queue() {
		return "async-" + UUID.randomUUID();
	}

	private static ApplicationContextRunner runner(RedisDeployment redis) {
		return QueueContexts.runner(redis)
			.withPropertyValues("redis.starter.resilience.open-duration=300ms", "redis.starter.queue.max-payload-size=1KB");
	}

	@Test
	void thousandsOfAsyncEnqueuesAreAllStoredOnOneServer() {
		everyAsyncEnqueueIsStored(SharedRedis.standalone());
	}

	@Test
	void thousandsOfAsyncEnqueuesAreAllStoredOnACluster() {
		everyAsyncEnqueueIsStored(SharedRedis.cluster());
	}

	private static void everyAsyncEnqueueIsStored(RedisDeployment redis) {
		String queue = queue();
		runner(redis).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			List<CompletableFuture<String>> sent = new ArrayList<>();
			for (int i = 0; i < 3000; i++) {
				sent.add(jobs.enqueueAsync(queue, new Task(i)));
			}
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			HashSet<String> ids = new HashSet<>();
			for (CompletableFuture<String> future : sent) {
				ids.add(future.join());
			}
			assertThat(ids).hasSize(3000);
			assertThat(jobs.counts(queue).waiting()).isEqualTo(3000);
			String last = sent.get(2999).join();
			assertThat(jobs.job(queue, last)).get().extracting((job) -> job.payload().toString()).asString().contains("2999");
		});
	}

	@Test
	void anAsyncEnqueueWithATakenJobIdCompletesWithTheExistingJob() throws Exception {
		String queue = queue();
		runner(SharedRedis.standalone()).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String first = jobs.enqueueAsync(queue, new Task(1), JobOptions.defaults().withJobId("order-1")).get(5,
					TimeUnit.SECONDS);
			String second = jobs.enqueueAsync(queue, new Task(2), JobOptions.defaults().withJobId("order-1")).get(5,
					TimeUnit.SECONDS);
			assertThat(second).isEqualTo(first).isEqualTo("order-1");
			assertThat(jobs.counts(queue).waiting()).isEqualTo(1);
		});
	}

	@Test
	void badInputIsThrownAtOnceNotThroughTheFuture() {
		String queue = queue();
		runner(SharedRedis.standalone()).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			assertThatExceptionOfType(InputLimitExceededException.class)
				.isThrownBy(() -> jobs.enqueueAsync(queue, "x".repeat(2000)));
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> jobs.enqueueAsync("bad{queue}", new Task(1)));
		});
	}

	@Test
	void aFrozenRedisFailsTheFutureWithinTheQueueTimeoutAndTheBoundHoldsTheProducerBack() {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).withPropertyValues("redis.starter.queue.max-async-in-flight=2").run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				jobs.enqueueAsync(queue, new Task(0)).get(5, TimeUnit.SECONDS);
				server.freeze();
				try {
					long start = System.nanoTime();
					CompletableFuture<String> first = jobs.enqueueAsync(queue, new Task(1));
					CompletableFuture<String> second = jobs.enqueueAsync(queue, new Task(2));
					assertThat(millisSince(start)).as("sent without waiting").isLessThan(200);
					// Both slots are taken until their deadlines pass: the third call waits for one.
					CompletableFuture<String> third = jobs.enqueueAsync(queue, new Task(3));
					assertThat(millisSince(start)).as("held back by the bound").isGreaterThanOrEqualTo(300);
					assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> first.get(2, TimeUnit.SECONDS))
						.withCauseInstanceOf(JobQueueUnavailableException.class);
					assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> second.get(2, TimeUnit.SECONDS))
						.withCauseInstanceOf(JobQueueUnavailableException.class);
					assertThat(millisSince(start)).as("within the queue timeout (500 ms)").isLessThan(1500);
					assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> third.get(2, TimeUnit.SECONDS))
						.withCauseInstanceOf(JobQueueUnavailableException.class);
				}
				finally {
					server.thaw();
				}
				await().atMost(Duration.ofSeconds(10))
					.until(() -> jobs.enqueueAsync(queue, new Task(4)).handle((id, failure) -> id != null).join());
			});
		}
	}

	@Test
	void anAsyncEnqueueAfterARestartEmptyResendsItsScript() {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				jobs.enqueueAsync(queue, new Task(0)).get(5, TimeUnit.SECONDS);
				server.stop();
				server.start();
				// The restarted server knows no script: NOSCRIPT, then the script by text.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> jobs.enqueueAsync(queue, new Task(1)).handle((id, failure) -> id != null).join());
				assertThat(jobs.counts(queue).waiting()).isEqualTo(1);
			});
		}
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

}
