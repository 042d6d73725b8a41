package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Single enqueues that overlap go to Redis as one script call ({@code EnqueueCoalescer}): every job is stored once
 * with its own id, job ids and deduplication keys shared by callers at the same moment behave as separate calls would,
 * fewer scripts run than jobs, and a frozen Redis fails every caller within the queue timeout without wedging the
 * queue; on standalone and Cluster.
 */
class JobQueueCoalescedEnqueueTests {

	private static final int THREADS = ProducersAtOnce.THREADS;

	record Task(int producer, int number) {
	}

	private static String queue() {
		return "coalesced-" + UUID.randomUUID();
	}

	private static ApplicationContextRunner runner(RedisDeployment redis) {
		return QueueContexts.runner(redis).withPropertyValues("redis.starter.resilience.open-duration=300ms");
	}

	@Test
	void overlappingEnqueuesAreEachStoredOnceInFewerScriptsThanJobs() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				long scriptsBefore = enqueueScripts(server);
				Set<String> ids = enqueueFromManyThreads(jobs, queue, 250);
				long scripts = enqueueScripts(server) - scriptsBefore;
				assertThat(ids).hasSize(THREADS * 250);
				assertThat(jobs.counts(queue).waiting()).isEqualTo(THREADS * 250 + 1);
				assertThat(scripts).as("scripts for %d jobs sent by %d threads at once", THREADS * 250, THREADS)
					.isLessThan(THREADS * 250);
			});
		}
	}

	@Test
	void overlappingEnqueuesAreEachStoredOnceOnACluster() {
		runner(SharedRedis.cluster()).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String first = queue();
			String second = queue();
			Set<String> ids = enqueueFromManyThreads(jobs, first, 150);
			Set<String> others = enqueueFromManyThreads(jobs, second, 50);
			assertThat(ids).hasSize(THREADS * 150);
			assertThat(others).hasSize(THREADS * 50);
			assertThat(jobs.counts(first).waiting()).isEqualTo(THREADS * 150);
			assertThat(jobs.counts(second).waiting()).isEqualTo(THREADS * 50);
		});
	}

	@Test
	void callersSendingOneJobIdAtOnceAllGetTheOneJob() {
		runner(SharedRedis.standalone()).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String queue = queue();
			List<String> ids = ProducersAtOnce.run((producer) -> jobs.enqueue(queue, new Task(producer, 0),
					JobOptions.defaults().withJobId("order-7")));
			assertThat(ids).containsOnly("order-7").hasSize(THREADS);
			assertThat(jobs.counts(queue).waiting()).isEqualTo(1);
		});
	}

	@Test
	void callersSendingOneDeduplicationKeyAtOnceAllGetTheFirstJob() {
		runner(SharedRedis.cluster()).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String queue = queue();
			JobOptions once = JobOptions.defaults().withDeduplication("report-42", Duration.ofMinutes(1));
			List<String> ids = ProducersAtOnce.run((producer) -> jobs.enqueue(queue, new Task(producer, 0), once));
			assertThat(new HashSet<>(ids)).hasSize(1);
			assertThat(jobs.counts(queue).waiting()).isEqualTo(1);
		});
	}

	@Test
	void jobsWithDefaultOptionsCarryTheirOwnQueuesSettingsAndOptionsGivenStillWin() {
		String named = queue();
		String plain = queue();
		runner(SharedRedis.standalone()).withPropertyValues("redis.starter.queue.named." + named + ".attempts=7")
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String first = jobs.enqueue(named, new Task(0, 1));
				String second = jobs.enqueue(plain, new Task(0, 2));
				String third = jobs.enqueue(named, new Task(0, 3), JobOptions.defaults().withAttempts(2).withPriority(5));
				String fourth = jobs.enqueue(named, new Task(0, 4));
				assertThat(jobs.job(named, first)).get().satisfies((job) -> {
					assertThat(job.maxAttempts()).isEqualTo(7);
					assertThat(job.payload()).contains("\"number\":1");
				});
				assertThat(jobs.job(plain, second)).get().satisfies((job) -> {
					assertThat(job.maxAttempts()).isNotEqualTo(7);
					assertThat(job.payload()).contains("\"number\":2");
				});
				assertThat(jobs.job(named, third)).get().satisfies((job) -> {
					assertThat(job.maxAttempts()).isEqualTo(2);
					assertThat(job.priority()).isEqualTo(5);
				});
				assertThat(jobs.job(named, fourth)).get().satisfies((job) -> {
					assertThat(job.maxAttempts()).isEqualTo(7);
					assertThat(job.priority()).isZero();
					assertThat(job.payload()).contains("\"number\":4");
				});
			});
	}

	@Test
	void aFrozenRedisFailsEveryCallerWithinTheTimeoutAndTheQueueWorksWhenItIsBack() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				server.freeze();
				List<Long> failedAfter;
				try {
					failedAfter = ProducersAtOnce.run((producer) -> {
						long start = System.nanoTime();
						try {
							jobs.enqueue(queue, new Task(producer, 1));
							return -1L;
						}
						catch (JobQueueUnavailableException ex) {
							return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
						}
					});
				}
				finally {
					server.thaw();
				}
				// Every caller failed (none could be answered), each within the queue timeout (500 ms) and a margin.
				assertThat(failedAfter).hasSize(THREADS).allSatisfy((millis) -> assertThat(millis).isBetween(0L, 1500L));
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
					.until(() -> jobs.enqueue(queue, new Task(-1, 2)) != null);
				// Sent calls may have been run after the thaw: never a job twice.
				List<String> payloads = new ArrayList<>();
				jobs.jobs(queue, JobState.WAITING, 100, 1000).jobs()
					.forEach((job) -> payloads.add(String.valueOf(job.payload())));
				assertThat(payloads).doesNotHaveDuplicates().hasSizeBetween(2, THREADS + 2);
			});
		}
	}

	private static Set<String> enqueueFromManyThreads(JobQueue jobs, String queue, int each) {
		Set<String> ids = ConcurrentHashMap.newKeySet();
		ProducersAtOnce.run((producer) -> {
			for (int i = 0; i < each; i++) {
				ids.add(jobs.enqueue(queue, new Task(producer, i)));
			}
			return null;
		});
		return ids;
	}

	private static long enqueueScripts(LocalRedisServer server) {
		String stats = String.valueOf(server.command("INFO", "commandstats"));
		long calls = 0;
		Matcher matcher = Pattern.compile("cmdstat_(?:evalsha|eval):calls=(\\d+)").matcher(stats);
		while (matcher.find()) {
			calls += Long.parseLong(matcher.group(1));
		}
		return calls;
	}

}
