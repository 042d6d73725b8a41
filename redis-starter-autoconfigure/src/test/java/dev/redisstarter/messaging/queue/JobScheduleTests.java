package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Job schedules on a real Redis: a tick enqueues exactly once across instances, ticks missed while no instance
 * ran follow the missed-tick policy, cron expressions follow their zone, a tick due while Redis is unreachable is
 * retried, and Cluster keeps a schedule's keys with its queue's.
 */
@RealRedis
class JobScheduleTests {

	/** Runs of scheduled jobs by job id, shared by the instances of a test. */
	static final class Ledger {

		final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		final Map<String, Object> payloads = new ConcurrentHashMap<>();

		void ran(String id, @Nullable Object payload) {
			this.runs.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
			if (payload != null) {
				this.payloads.put(id, payload);
			}
		}

		/** The ticks that ran, in order. */
		List<Long> ticks(String schedule) {
			String prefix = "schedule:" + schedule + ":";
			return this.runs.keySet()
				.stream()
				.filter((id) -> id.startsWith(prefix))
				.map((id) -> Long.parseLong(id.substring(prefix.length())))
				.sorted()
				.toList();
		}

	}

	static class Digests {

		private final Ledger ledger;

		Digests(Ledger ledger) {
			this.ledger = ledger;
		}

		@JobHandler(queue = "${test.queue}")
		void send(@Nullable Map<String, Object> payload, JobContext context) {
			this.ledger.ran(context.id(), payload);
		}

	}

	static class ZonedDigests {

		private final Ledger ledger;

		ZonedDigests(Ledger ledger) {
			this.ledger = ledger;
		}

		@JobSchedule(name = "${test.schedule}", cron = "${test.cron}", zone = "Asia/Kolkata",
				payload = "{\"kind\":\"zoned\"}")
		@JobHandler(queue = "${test.queue}")
		void send(Map<String, Object> payload, JobContext context) {
			this.ledger.ran(context.id(), payload);
		}

	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

	private static ApplicationContextRunner instance(RedisDeployment redis, String queue, Ledger ledger) {
		return QueueContexts.runner(redis)
			.withPropertyValues("test.queue=" + queue)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Digests.class, () -> new Digests(ledger));
	}

	private static ApplicationContextRunner scheduled(RedisDeployment redis, String queue, String schedule,
			Ledger ledger, String... properties) {
		String prefix = "redis.starter.queue.schedules." + schedule + ".";
		return instance(redis, queue, ledger).withPropertyValues(prefix + "queue=" + queue)
			.withPropertyValues(Arrays.stream(properties).map((property) -> prefix + property)
				.toArray(String[]::new));
	}

	private static double ticks(AssertableApplicationContext context, String schedule, String result) {
		var counter = context.getBean(MeterRegistry.class)
			.find("redis.starter.queue.schedule.ticks")
			.tags("schedule", schedule, "outcome", result)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static void sleepUntil(long epochMillis) throws InterruptedException {
		long wait = epochMillis - System.currentTimeMillis();
		if (wait > 0) {
			Thread.sleep(wait);
		}
	}

	@Test
	void aFixedRateScheduleOnThreeInstancesEnqueuesEachTickExactlyOnce() {
		RedisDeployment redis = SharedRedis.standalone();
		String queue = unique("digests");
		String schedule = unique("every-second");
		Ledger ledger = new Ledger();
		ApplicationContextRunner instance = scheduled(redis, queue, schedule, ledger, "fixed-rate=1s",
				"payload={\"kind\":\"digest\"}");
		instance.run((a) -> instance.run((b) -> instance.run((c) -> {
			List<AssertableApplicationContext> instances = List.of(a, b, c);
			instances.forEach((context) -> assertThat(context).hasNotFailed());
			long allStarted = System.currentTimeMillis();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> ledger.ticks(schedule).stream().filter((tick) -> tick > allStarted).count() >= 5);
			// Right after a tick ran: the next one is about a second away, so the counters are settled.
			List<Long> ticks = ledger.ticks(schedule);
			double enqueued = instances.stream().mapToDouble((context) -> ticks(context, schedule, "enqueued")).sum();
			assertThat(enqueued).as("one instance enqueued each tick").isEqualTo(ticks.size());
			assertThat(ledger.runs.values()).as("each tick's job ran once").allMatch((runs) -> runs.get() == 1);
			List<Long> recent = ticks.stream().filter((tick) -> tick > allStarted).toList();
			for (int i = 1; i < recent.size(); i++) {
				assertThat(recent.get(i) - recent.get(i - 1)).as("no tick missing").isEqualTo(1000);
			}
			assertThat(recent).allMatch((tick) -> tick % 1000 == 0);
			assertThat(ledger.payloads.values()).allSatisfy((payload) -> assertThat(payload)
				.isEqualTo(Map.of("kind", "digest")));
			JobSchedules schedules = a.getBean(JobSchedules.class);
			assertThat(schedules.states()).singleElement().satisfies((state) -> {
				assertThat(state.name()).isEqualTo(schedule);
				assertThat(state.queue()).isEqualTo(queue);
				assertThat(state.expression()).isEqualTo("every PT1S");
				assertThat(state.missed()).isEqualTo(MissedTicks.SKIP);
				assertThat(state.lastTick()).isNotNull();
				assertThat(state.nextTick()).isAfter(state.lastTick());
			});
		})));
	}

	@Test
	void ticksMissedWhileNoInstanceRanAreSkippedWithSkip() throws InterruptedException {
		MissedRun run = missedTicks("skip");
		assertThat(run.ledger().ticks(run.schedule())).as("nothing for the missed ticks")
			.containsExactly(run.first(), run.first() + 1000, run.first() + 6000);
		assertThat(run.restarted()).containsEntry("skipped", 2.0).containsEntry("missed", 0.0).containsEntry("enqueued", 1.0);
	}

	@Test
	void ticksMissedWhileNoInstanceRanEnqueueOneJobWithRunOnce() throws InterruptedException {
		MissedRun run = missedTicks("run-once");
		assertThat(run.ledger().ticks(run.schedule())).as("one job, for the latest missed tick")
			.containsExactly(run.first(), run.first() + 1000, run.first() + 3000, run.first() + 6000);
		assertThat(run.restarted()).containsEntry("skipped", 1.0).containsEntry("missed", 1.0).containsEntry("enqueued", 1.0);
	}

	record MissedRun(Ledger ledger, String schedule, long first, Map<String, Double> restarted) {
	}

	/**
	 * A cron schedule ticking at seconds first, +1, +2, +3 and +6 of each minute: one instance runs for the
	 * first two ticks and stops; the ticks at +2 and +3 pass with no instance; another instance starts at +4.5
	 * (the tick at +3 is then 1.5 s old: missed, not on time) and runs until the tick at +6.
	 */
	private MissedRun missedTicks(String policy) throws InterruptedException {
		RedisDeployment redis = SharedRedis.standalone();
		String queue = unique("reports");
		String schedule = unique("missed");
		Ledger ledger = new Ledger();
		long first = (System.currentTimeMillis() / 1000 + 3) * 1000;
		int second = ZonedDateTime.ofInstant(Instant.ofEpochMilli(first), ZoneId.of("UTC")).getSecond();
		String cron = List.of(0, 1, 2, 3, 6)
			.stream()
			.map((offset) -> Integer.toString((second + offset) % 60))
			.reduce((x, y) -> x + "," + y)
			.orElseThrow() + " * * * * *";
		ApplicationContextRunner instance = scheduled(redis, queue, schedule, ledger, "cron=" + cron,
				"missed=" + policy);
		instance.run((context) -> {
			assertThat(context).hasNotFailed();
			await().atMost(Duration.ofSeconds(6))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> ledger.ticks(schedule).contains(first + 1000));
		});
		assertThat(System.currentTimeMillis()).as("stopped before the tick at +2").isLessThan(first + 2000);
		sleepUntil(first + 4500);
		Map<String, Double> restarted = new ConcurrentHashMap<>();
		instance.run((context) -> {
			assertThat(context).hasNotFailed();
			await().atMost(Duration.ofSeconds(5)).until(() -> ledger.ticks(schedule).contains(first + 6000));
			for (String result : List.of("enqueued", "missed", "skipped")) {
				restarted.put(result, ticks(context, schedule, result));
			}
		});
		return new MissedRun(ledger, schedule, first, restarted);
	}

	@Test
	void anAnnotatedCronScheduleFiresInItsZone() {
		String queue = unique("zoned");
		String schedule = unique("kolkata");
		Ledger ledger = new Ledger();
		ZoneId kolkata = ZoneId.of("Asia/Kolkata");
		// Every second of the hour it is in Kolkata a few seconds from now: never that hour in UTC (5:30 ahead).
		int hour = ZonedDateTime.now(kolkata).plusSeconds(3).getHour();
		String cron = "* * " + hour + " * * *";
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "test.schedule=" + schedule, "test.cron=" + cron)
			.withBean(ZonedDigests.class, () -> new ZonedDigests(ledger))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(8)).until(() -> ledger.ticks(schedule).size() >= 2);
				assertThat(ledger.payloads.values()).allSatisfy((payload) -> assertThat(payload)
					.isEqualTo(Map.of("kind", "zoned")));
				assertThat(ledger.ticks(schedule)).allSatisfy((tick) -> assertThat(Instant.ofEpochMilli(tick)
					.atZone(kolkata)
					.getHour()).isEqualTo(hour));
				assertThat(context.getBean(JobSchedules.class).states()).singleElement().satisfies((state) -> {
					assertThat(state.zone()).isEqualTo(kolkata);
					assertThat(state.expression()).isEqualTo(cron);
				});
				JobQueue jobs = context.getBean(JobQueue.class);
				String scheduledId = "schedule:" + schedule + ":" + ledger.ticks(schedule).get(0);
				await().atMost(Duration.ofSeconds(2))
					.until(() -> jobs.job(queue, scheduledId).map(JobInfo::state).orElse(null) == JobState.COMPLETED);
			});
	}

	@Test
	void aScheduleForAQueueHandledElsewhereEnqueuesJobsLikeJobQueueDoes() {
		String queue = unique("elsewhere");
		String schedule = unique("elsewhere");
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.queue.named." + queue + ".attempts=2",
					"redis.starter.queue.schedules." + schedule + ".queue=" + queue,
					"redis.starter.queue.schedules." + schedule + ".fixed-rate=1s",
					"redis.starter.queue.schedules." + schedule + ".payload=[1, 2]")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JobQueue jobs = context.getBean(JobQueue.class);
				await().atMost(Duration.ofSeconds(3)).until(() -> jobs.counts(queue).waiting() >= 1);
				long tick = context.getBean(JobSchedules.class).states().get(0).lastTick().toEpochMilli();
				String scheduledId = "schedule:" + schedule + ":" + tick;
				assertThat(jobs.job(queue, scheduledId)).get().satisfies((job) -> {
					assertThat(job.state()).isEqualTo(JobState.WAITING);
					assertThat(job.maxAttempts()).as("the queue's attempts").isEqualTo(2);
					assertThat(job.payload()).isEqualTo("[1, 2]");
					assertThat(job.priority()).isZero();
				});
				// The record is the one enqueue.lua writes for a job with an id: the same fields.
				String enqueued = jobs.enqueue(queue, List.of(3), JobOptions.defaults().withJobId(unique("manual")));
				QueueKeys keys = context.getBean(QueueKeys.class);
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertThat(redis.opsForHash().keys(keys.base(queue) + ":job:" + scheduledId))
					.isEqualTo(redis.opsForHash().keys(keys.base(queue) + ":job:" + enqueued));
				String state = keys.schedule(queue, schedule);
				assertThat(redis.opsForHash().entries(state)).containsEntry("job", "1")
					.containsKey("last");
				assertThat(redis.getExpire(state)).as("the state expires").isGreaterThan(Duration.ofDays(29).toSeconds());
			});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aScheduleRefusedByPermissionIsNotLoggedEverySecond(CapturedOutput output) throws Exception {
		LocalRedisServer server = LocalRedisServer.builder()
			.password("admin")
			.user("app on >app-secret ~elsewhere:* &* +@all")
			.build()
			.start();
		try {
			String schedule = unique("refused");
			scheduled(server.as("app", "app-secret"), unique("refused"), schedule, new Ledger(), "fixed-rate=500ms")
				.run((context) -> {
					Thread.sleep(3500);
					String logged = output.getAll();
					assertThat(logged).contains("Redis refused the starter's queue call")
						.contains("dev/redisstarter/queue/schedule-tick.lua)");
					assertThat(logged.split("Schedule '" + schedule + "' failed", -1))
						.as("the refusal is logged once, not once a second").hasSize(1);
				});
		}
		finally {
			server.stop();
		}
	}

	@Test
	void aTickDueWhileRedisIsFrozenIsEnqueuedOnceWhenRedisAnswersBeforeTheNextTick() throws Exception {
		LocalRedisServer server = LocalRedisServer.builder().build().start();
		try {
			String queue = unique("frozen");
			String schedule = unique("every-three-seconds");
			Ledger ledger = new Ledger();
			scheduled(server, queue, schedule, ledger, "fixed-rate=3s")
				.withPropertyValues("redis.starter.queue.timeout=300ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					long now = System.currentTimeMillis();
					long tick = (now / 3000 + 1) * 3000;
					if (tick - now < 1000) {
						tick += 3000;
					}
					sleepUntil(tick - 300);
					server.freeze();
					try {
						sleepUntil(tick + 1200);
					}
					finally {
						server.thaw();
					}
					long due = tick;
					await().atMost(Duration.ofSeconds(3)).until(() -> ledger.ticks(schedule).contains(due));
					await().atMost(Duration.ofSeconds(4)).until(() -> ledger.ticks(schedule).contains(due + 3000));
					assertThat(ledger.runs.values()).allMatch((runs) -> runs.get() == 1);
					// Enqueued once Redis answered again: by the retry, or by the script sent before the freeze,
					// which Redis ran on thawing (the counter then misses it: its caller had given up).
					assertThat(context.getBean(JobQueue.class).job(queue, "schedule:" + schedule + ":" + due))
						.get()
						.satisfies((job) -> assertThat(job.createdAt()).isAfterOrEqualTo(Instant.ofEpochMilli(due + 1000)));
				});
		}
		finally {
			server.stop();
		}
	}

	@Test
	void aFixedRateScheduleOnClusterEnqueuesEachTickExactlyOnce() {
		RedisDeployment redis = SharedRedis.cluster();
		String queue = unique("cluster-digests");
		String schedule = unique("cluster");
		Ledger ledger = new Ledger();
		ApplicationContextRunner instance = scheduled(redis, queue, schedule, ledger, "fixed-rate=1s");
		instance.run((a) -> instance.run((b) -> {
			assertThat(a).hasNotFailed();
			assertThat(b).hasNotFailed();
			long bothStarted = System.currentTimeMillis();
			await().atMost(Duration.ofSeconds(8))
				.until(() -> ledger.ticks(schedule).stream().filter((tick) -> tick > bothStarted).count() >= 3);
			List<Long> ticks = ledger.ticks(schedule);
			assertThat(ticks(a, schedule, "enqueued") + ticks(b, schedule, "enqueued")).isEqualTo(ticks.size());
			assertThat(ledger.runs.values()).allMatch((runs) -> runs.get() == 1);
			List<Long> recent = ticks.stream().filter((tick) -> tick > bothStarted).toList();
			for (int i = 1; i < recent.size(); i++) {
				assertThat(recent.get(i) - recent.get(i - 1)).isEqualTo(1000);
			}
		}));
	}

}
