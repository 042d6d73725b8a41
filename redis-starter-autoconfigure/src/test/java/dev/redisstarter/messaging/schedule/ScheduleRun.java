package dev.redisstarter.messaging.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobInfo;
import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.QueueCounts;
import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.messaging.stream.DeadLetter;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.StreamInspector;
import dev.redisstarter.messaging.stream.StreamKeys;
import dev.redisstarter.messaging.stream.StreamListeners;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisSentinelGroup;
import dev.redisstarter.test.schedule.AppliedFault;
import dev.redisstarter.test.schedule.DownstreamSwitch;
import dev.redisstarter.test.schedule.EventLedger;
import dev.redisstarter.test.schedule.FaultInjector;
import dev.redisstarter.test.schedule.FaultSchedule;
import dev.redisstarter.test.schedule.JvmProcess;
import dev.redisstarter.test.schedule.JvmSpec;
import dev.redisstarter.test.schedule.LedgerEvents;
import dev.redisstarter.test.schedule.LedgerCheck;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fault-schedule run: a Redis of its own, worker JVMs ({@link ScheduleWorker}), and a producer in this JVM that
 * reaches Redis directly. The Redis is a standalone server (append-only, fsync always, so that a restart keeps every
 * acknowledged write) that the workers reach through a {@link FaultProxy}, or a 3-master Cluster with a replica each,
 * or a Sentinel group ({@link Deployment}). Its checks read the ledgers of the run directory and the state of Redis.
 */
final class ScheduleRun implements AutoCloseable {

	/** How long the consumers may take to finish after a schedule healed; a passing run takes a few seconds. */
	static final Duration SETTLE = Duration.ofSeconds(90);

	/** How long the workers' last meter readings may take to reach the ledgers once the work settled. */
	private static final Duration METER_SETTLE = Duration.ofSeconds(10);

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	private final Path directory;

	private final @Nullable LocalRedisServer server;

	private final @Nullable FaultProxy proxy;

	private final @Nullable RedisCluster cluster;

	private final @Nullable RedisSentinelGroup sentinel;

	/** How the producer reaches Redis: straight to the server, the Cluster's seed nodes or the sentinels. */
	private final Map<String, String> redisProperties;

	private final List<JvmProcess> workers = new ArrayList<>();

	private final ConfigurableApplicationContext producerContext;

	private final EventLedger producerLedger;

	private ScheduleRun(Path directory, Deployment deployment, int workerCount, Map<String, String> workerProperties) {
		this.directory = directory;
		LocalRedisServer startedServer = null;
		FaultProxy startedProxy = null;
		RedisCluster startedCluster = null;
		RedisSentinelGroup startedSentinel = null;
		EventLedger openedLedger = null;
		try {
			switch (deployment) {
				case STANDALONE -> {
					startedServer = LocalRedisServer.builder().config("appendonly", "yes").config("appendfsync", "always")
						.build()
						.start();
					startedProxy = FaultProxy.inFrontOf(startedServer);
				}
				case CLUSTER -> startedCluster = RedisCluster.of(3, 1).start();
				case SENTINEL -> startedSentinel = RedisSentinelGroup.create().start();
			}
			this.redisProperties = (startedServer != null) ? Map.of("spring.data.redis.url", startedServer.url())
					: (startedCluster != null) ? startedCluster.springDataRedisProperties()
							: Objects.requireNonNull(startedSentinel).springDataRedisProperties();
			openedLedger = EventLedger.open(directory, "producer");
			this.producerContext = context(this.redisProperties);
		}
		catch (RuntimeException | Error ex) {
			// Nothing this run started may outlive it, even when it could not start.
			closeAll(ex, openedLedger, startedProxy, startedServer, startedCluster, startedSentinel);
			throw ex;
		}
		this.server = startedServer;
		this.proxy = startedProxy;
		this.cluster = startedCluster;
		this.sentinel = startedSentinel;
		this.producerLedger = openedLedger;
		Map<String, String> properties = new LinkedHashMap<>(workerProperties());
		properties.putAll(workerProperties);
		try {
			for (int i = 1; i <= workerCount; i++) {
				String name = "worker-" + i;
				this.workers.add(JvmProcess.start(JvmSpec.of(name, ScheduleWorker.class)
					.withSystemProperties(properties)
					.withSystemProperty("redis.starter.stream.instance-id", name)
					.withSystemProperty(EventLedger.PROCESS_PROPERTY, name), directory));
			}
			this.workers.forEach((worker) -> worker.awaitOutput("ready", Duration.ofSeconds(120)));
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** What Redis a run starts. */
	enum Deployment {

		/** One server (AOF, fsync always) that the workers reach through a {@link FaultProxy}. */
		STANDALONE,

		/** Three masters with a replica each ({@code RedisCluster.of(3, 1)}), reached directly. */
		CLUSTER,

		/** A master, a replica and three sentinels ({@code RedisSentinelGroup}), reached through the sentinels. */
		SENTINEL

	}

	/**
	 * Starts a run on a standalone Redis: the server, the proxy, the producer's context, and the workers (waiting
	 * until each consumes).
	 * @param directory the run directory
	 * @param workerCount how many worker JVMs
	 * @param workerProperties settings of the workers' own on top of the run's defaults
	 * @return the run
	 */
	static ScheduleRun start(Path directory, int workerCount, Map<String, String> workerProperties) {
		return new ScheduleRun(directory, Deployment.STANDALONE, workerCount, workerProperties);
	}

	/**
	 * Starts a run on another deployment.
	 * @param directory the run directory
	 * @param deployment what Redis to start
	 * @param workerCount how many worker JVMs
	 * @param workerProperties settings of the workers' own on top of the run's defaults
	 * @return the run
	 */
	static ScheduleRun start(Path directory, Deployment deployment, int workerCount, Map<String, String> workerProperties) {
		return new ScheduleRun(directory, deployment, workerCount, workerProperties);
	}

	/** Short leases, claims and back-offs, so that a run recovers within seconds; the README's defaults otherwise. */
	private Map<String, String> workerProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		if (this.proxy != null) {
			properties.put("spring.data.redis.url", this.proxy.url());
		}
		else {
			properties.putAll(this.redisProperties);
		}
		properties.put("spring.application.name", "schedule");
		properties.put("logging.level.root", "WARN");
		properties.put(EventLedger.RUN_DIRECTORY_PROPERTY, this.directory.toString());
		properties.put("redis.starter.queue.defaults.lease", "2s");
		properties.put("redis.starter.queue.defaults.stalled-interval", "500ms");
		properties.put("redis.starter.queue.defaults.backoff.initial", "50ms");
		properties.put("redis.starter.queue.defaults.backoff.max", "200ms");
		properties.put("redis.starter.queue.shutdown-wait", "2s");
		properties.put("redis.starter.stream.defaults.claim-idle", "2s");
		properties.put("redis.starter.stream.defaults.claim-interval", "500ms");
		properties.put("redis.starter.stream.defaults.read-block", "200ms");
		properties.put("redis.starter.stream.defaults.backoff.initial", "50ms");
		properties.put("redis.starter.stream.defaults.backoff.max", "200ms");
		properties.put("redis.starter.stream.shutdown-wait", "2s");
		return properties;
	}

	private static ConfigurableApplicationContext context(Map<String, String> redisProperties) {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=schedule", "redis.starter.queue.enabled=true"));
		redisProperties.forEach((name, value) -> properties.add(name + "=" + value));
		return new SpringApplicationBuilder(ScheduleApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	/**
	 * The injector's targets: the server and the proxy (standalone), the Cluster or the Sentinel group, the workers,
	 * the run's downstream; faults logged to stdout.
	 */
	FaultInjector.Builder injector() {
		FaultInjector.Builder builder = FaultInjector.builder()
			.consumers(this.workers)
			.downstream(DownstreamSwitch.in(this.directory))
			.log(System.out::println);
		if (this.server != null && this.proxy != null) {
			builder.redis(this.server).proxy(this.proxy);
		}
		if (this.cluster != null) {
			builder.cluster(this.cluster);
		}
		if (this.sentinel != null) {
			builder.sentinel(this.sentinel);
		}
		return builder;
	}

	/**
	 * Produces while the schedule runs, then stops producing.
	 * @param schedule the schedule
	 * @return the faults as applied
	 */
	List<AppliedFault> run(FaultSchedule schedule) {
		try (Producer producer = new Producer(this.producerContext.getBean(JobQueue.class),
				this.producerContext.getBean(StreamPublisher.class), this.producerLedger)) {
			producer.start();
			return injector().build().run(schedule);
		}
	}

	/** The invariants of the job queue: every accepted job handled or dead, nothing waiting, delayed or active. */
	LedgerCheck jobs(FaultSchedule schedule, List<AppliedFault> applied) {
		return LedgerCheck.of(this.directory, schedule, applied)
			.events(Producer.JOB_ACCEPTED, ScheduleWorker.JOB_HANDLED)
			.deadLetters(this::deadJobs)
			.outstanding(this::outstandingJobs);
	}

	/** The invariants of the work group: every accepted entry handled or dead, nothing pending. */
	LedgerCheck entries(FaultSchedule schedule, List<AppliedFault> applied) {
		return LedgerCheck.of(this.directory, schedule, applied)
			.events(Producer.ENTRY_ACCEPTED, ScheduleWorker.ENTRY_HANDLED)
			.deadLetters(this::deadEntries)
			.outstanding(this::pendingEntries);
	}

	/**
	 * The counts Redis reports agree with the dead letters it lists (the queue's dead count, the stream's count), and
	 * the Actuator endpoints, read as an operator would after the schedule healed, show the same: nothing waiting,
	 * delayed, active or pending in the work group, the dead letters listed, none trimmed.
	 */
	void assertCountsAgreeWithDeadLetters() {
		JobQueuesEndpoint queues = new JobQueuesEndpoint(this.producerContext.getBean(JobQueue.class),
				this.producerContext.getBean(JobDeadLetters.class), this.producerContext.getBean(JobWorkers.class),
				Set.of(), this.producerContext.getBean(dev.redisstarter.messaging.queue.UnhandledQueues.class));
		JobQueuesEndpoint.QueueDescriptor queue = queues.queue(ScheduleApplication.QUEUE);
		assertThat(List.of(queue.waiting(), queue.delayed(), queue.active(), queue.dead(), queue.deadTrimmed()))
			.as("/actuator/jobqueues/%s: waiting, delayed, active, dead, deadTrimmed", ScheduleApplication.QUEUE)
			.containsExactly(0L, 0L, 0L, (long) deadJobs().size(), 0L);
		StreamsEndpoint streams = new StreamsEndpoint(this.producerContext.getBean(StreamListeners.class),
				this.producerContext.getBean(StreamInspector.class), this.producerContext.getBean(DeadLetters.class),
				Set.of());
		StreamsEndpoint.StreamDescriptor stream = streams.stream(ScheduleApplication.STREAM);
		assertThat(stream.deadLetterCount()).as("/actuator/streams/%s", ScheduleApplication.STREAM)
			.isEqualTo(deadEntries().size());
		assertThat(stream.groups()).as("the work group in /actuator/streams")
			.filteredOn((group) -> "work".equals(group.name()))
			.singleElement()
			.satisfies((group) -> assertThat(group.pending()).isZero());
		assertThat(this.producerContext.getBean(JobQueue.class).counts(ScheduleApplication.QUEUE).dead())
			.as("the queue's dead count against its listed dead letters")
			.isEqualTo(deadJobs().size());
		assertThat(this.producerContext.getBean(DeadLetters.class).count(ScheduleApplication.STREAM))
			.as("the stream's dead-letter count against its listed dead letters")
			.isEqualTo(this.producerContext.getBean(DeadLetters.class).list(ScheduleApplication.STREAM, 100_000).size());
	}

	/**
	 * The workers' meters agree with their ledgers ({@link MeterCheck}): each surviving worker's exactly, the sums over
	 * every worker process within what the readings cannot show. Readings lag by up to 200 ms, so the check is
	 * evaluated again for a few seconds before it fails.
	 * @param schedule the schedule
	 * @param applied the faults as applied
	 */
	void assertMetersAgreeWithLedgers(FaultSchedule schedule, List<AppliedFault> applied) {
		long deadline = System.nanoTime() + METER_SETTLE.toNanos();
		while (true) {
			MeterCheck check = MeterCheck.evaluate(LedgerEvents.read(this.directory), this.workers, schedule, applied,
					deadJobs(), deadEntries());
			if (check.holds()) {
				System.out.println(check.describe());
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError(check.describe());
			}
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted: " + check.describe(), ex);
			}
		}
	}

	/**
	 * The Cluster node that serves the queue's and the stream's slots (the same master: their hash tags fall in the
	 * third master's range).
	 * @return its address
	 */
	String ownerOfTheQueueAndTheStream() {
		RedisCluster nodes = Objects.requireNonNull(this.cluster, "not a Cluster run");
		int queueSlot = SlotHash.getSlot(ScheduleApplication.QUEUE);
		int streamSlot = SlotHash.getSlot(ScheduleApplication.STREAM);
		List<String> owners = nodes.nodes().stream().filter(LocalRedisServer::isRunning).filter((node) -> {
			try {
				Object role = node.command("ROLE");
				if (!(role instanceof List<?> list) || !"master".equals(list.get(0))) {
					return false;
				}
				Object slots = node.command("CLUSTER", "SLOTS");
				String myself = String.valueOf(node.command("CLUSTER", "MYID"));
				return slots instanceof List<?> ranges && ranges.stream().map((range) -> (List<?>) range).anyMatch((range) -> {
					long from = ((Number) range.get(0)).longValue();
					long to = ((Number) range.get(1)).longValue();
					return from <= queueSlot && queueSlot <= to && from <= streamSlot && streamSlot <= to
							&& String.valueOf(((List<?>) range.get(2)).get(2)).equals(myself);
				});
			}
			catch (RuntimeException ex) {
				return false;
			}
		}).map(LocalRedisServer::address).toList();
		assertThat(owners).as("the master serving slots %d and %d", queueSlot, streamSlot).hasSize(1);
		return owners.get(0);
	}

	Set<String> deadJobs() {
		return this.producerContext.getBean(JobDeadLetters.class)
			.list(ScheduleApplication.QUEUE, 0, 100_000)
			.stream()
			.map(JobInfo::id)
			.collect(Collectors.toSet());
	}

	Set<String> deadEntries() {
		return this.producerContext.getBean(DeadLetters.class)
			.list(ScheduleApplication.STREAM, 100_000)
			.stream()
			.map(DeadLetter::payload)
			.map(ScheduleRun::id)
			.collect(Collectors.toSet());
	}

	private static String id(String payload) {
		Matcher matcher = ID.matcher(String.valueOf(payload));
		return matcher.find() ? matcher.group(1) : "?";
	}

	private long outstandingJobs() {
		try {
			QueueCounts counts = this.producerContext.getBean(JobQueue.class).counts(ScheduleApplication.QUEUE);
			return counts.waiting() + counts.delayed() + counts.active();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	private long pendingEntries() {
		try {
			StringRedisTemplate redis = this.producerContext.getBean(StringRedisTemplate.class);
			String key = this.producerContext.getBean(StreamKeys.class).stream(ScheduleApplication.STREAM);
			if (!Boolean.TRUE.equals(redis.hasKey(key))) {
				return 0;
			}
			StreamInfo.XInfoGroups groups = redis.opsForStream().groups(key);
			return groups.stream().mapToLong(StreamInfo.XInfoGroup::pendingCount).sum();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	Path directory() {
		return this.directory;
	}

	List<JvmProcess> workers() {
		return this.workers;
	}

	@Override
	public void close() {
		List<AutoCloseable> all = new ArrayList<>(this.workers);
		all.addAll(List.of(this.producerContext, this.producerLedger));
		all.addAll(Stream.of(this.proxy, this.server, this.cluster, this.sentinel)
			.filter(Objects::nonNull)
			.toList());
		RuntimeException failure = new IllegalStateException("Closing the schedule run failed");
		closeAll(failure, all.toArray(AutoCloseable[]::new));
		if (failure.getSuppressed().length > 0) {
			throw failure;
		}
	}

	/** Closes each one, even when another failed to close; failures are added to the given one. */
	private static void closeAll(Throwable failure, AutoCloseable... closeables) {
		for (AutoCloseable closeable : closeables) {
			if (closeable == null) {
				continue;
			}
			try {
				closeable.close();
			}
			catch (Exception ex) {
				failure.addSuppressed(ex);
			}
		}
	}

}
