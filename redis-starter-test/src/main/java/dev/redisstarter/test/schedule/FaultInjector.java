package dev.redisstarter.test.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisSentinelGroup;

/**
 * Applies a {@link FaultSchedule} to what a test runs: each fault is injected at its time, held, and healed
 * before the next; {@link #run(FaultSchedule)} returns when the schedule's duration is over, everything healed.
 * Each kind needs its target: a {@link LocalRedisServer} for restarts and freezes, a {@link FaultProxy} (between
 * the consumers and Redis) for the black hole and latency, {@link JvmProcess} consumers for kills and pauses, a
 * {@link DownstreamSwitch}, a {@link RedisSentinelGroup} or a {@link RedisCluster} with replicas. A schedule with
 * a kind whose target is missing is refused before anything is applied.
 * <pre>{@code
 * FaultInjector injector = FaultInjector.builder().redis(server).proxy(proxy).consumers(consumers).build();
 * List<AppliedFault> applied = injector.run(schedule);
 * }</pre>
 */
public final class FaultInjector {

	private static final Logger logger = LoggerFactory.getLogger(FaultInjector.class);

	private final StandaloneTargets targets;

	private final Consumer<String> log;

	private FaultInjector(StandaloneTargets targets, Consumer<String> log) {
		this.targets = targets;
		this.log = log;
	}

	/**
	 * A builder with no targets.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Runs a schedule on the calling thread: prints it, applies each fault, and waits for its end. When an
	 * injection or a heal fails, every target is healed as far as possible and the failure is thrown with the
	 * schedule's seed in its message.
	 * @param schedule the schedule
	 * @return the faults as applied, in order
	 * @throws IllegalArgumentException when a kind of the schedule has no target here
	 */
	public List<AppliedFault> run(FaultSchedule schedule) {
		schedule.faults().forEach((fault) -> this.targets.check(fault.kind()));
		this.log.accept(schedule.toString());
		List<AppliedFault> applied = new ArrayList<>();
		long start = System.nanoTime();
		ScheduledFault current = null;
		try {
			for (ScheduledFault fault : schedule.faults()) {
				current = fault;
				sleepUntil(start, fault.at());
				Instant injected = Instant.now();
				this.log.accept("inject " + fault);
				this.targets.inject(fault);
				sleepUntil(start, fault.healsAt());
				this.targets.heal(fault);
				Instant healed = Instant.now();
				this.log.accept("healed " + fault.kind() + " after " + Duration.between(injected, healed).toMillis() + "ms");
				applied.add(new AppliedFault(fault, injected, healed));
			}
			current = null;
			sleepUntil(start, schedule.duration());
			return applied;
		}
		catch (RuntimeException ex) {
			this.targets.healAll();
			throw new IllegalStateException("Fault schedule failed at " + current + "; replay with "
					+ schedule.replayHint() + "\n" + schedule, ex);
		}
	}

	private static void sleepUntil(long start, Duration offset) {
		long wait = offset.toMillis() - (System.nanoTime() - start) / 1_000_000;
		if (wait > 0) {
			JvmProcess.sleep(Duration.ofMillis(wait));
		}
	}

	/** Builds a {@link FaultInjector}. */
	public static final class Builder {

		private @Nullable LocalRedisServer redis;

		private @Nullable FaultProxy proxy;

		private List<JvmProcess> consumers = List.of();

		private @Nullable DownstreamSwitch downstream;

		private @Nullable RedisSentinelGroup sentinel;

		private @Nullable RedisCluster cluster;

		private Duration latency = Duration.ofMillis(300);

		private Duration failoverTimeout = Duration.ofSeconds(60);

		private Consumer<String> log = logger::info;

		private Builder() {
		}

		/**
		 * The server to restart and freeze.
		 * @param server a server this test started
		 * @return this builder
		 */
		public Builder redis(LocalRedisServer server) {
			this.redis = server;
			return this;
		}

		/**
		 * The proxy the consumers reach Redis through, for black holes and latency.
		 * @param faultProxy the proxy
		 * @return this builder
		 */
		public Builder proxy(FaultProxy faultProxy) {
			this.proxy = faultProxy;
			return this;
		}

		/**
		 * The consumer processes to kill and pause.
		 * @param processes the processes
		 * @return this builder
		 */
		public Builder consumers(List<JvmProcess> processes) {
			this.consumers = List.copyOf(processes);
			return this;
		}

		/**
		 * The downstream to take down.
		 * @param downstreamSwitch the switch of the run
		 * @return this builder
		 */
		public Builder downstream(DownstreamSwitch downstreamSwitch) {
			this.downstream = downstreamSwitch;
			return this;
		}

		/**
		 * The Sentinel group to fail over.
		 * @param group a group this test started
		 * @return this builder
		 */
		public Builder sentinel(RedisSentinelGroup group) {
			this.sentinel = group;
			return this;
		}

		/**
		 * The Cluster whose masters are killed; it needs replicas ({@code RedisCluster.of(3, 1)}).
		 * @param redisCluster a cluster this test started
		 * @return this builder
		 */
		public Builder cluster(RedisCluster redisCluster) {
			this.cluster = redisCluster;
			return this;
		}

		/**
		 * The delay {@link FaultKind#LATENCY} adds to each reply; 300 ms unless set.
		 * @param delay the delay
		 * @return this builder
		 */
		public Builder latency(Duration delay) {
			this.latency = delay;
			return this;
		}

		/**
		 * How long a failover may take before the run fails; 60 s unless set.
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder failoverTimeout(Duration timeout) {
			this.failoverTimeout = timeout;
			return this;
		}

		/**
		 * Where the schedule and each injection and heal are written; the logger at INFO unless set.
		 * @param sink the sink
		 * @return this builder
		 */
		public Builder log(Consumer<String> sink) {
			this.log = sink;
			return this;
		}

		/**
		 * Builds the injector.
		 * @return the injector
		 */
		public FaultInjector build() {
			return new FaultInjector(new StandaloneTargets(this.redis, this.proxy, this.consumers, this.downstream,
					new ReplicatedTargets(this.sentinel, this.cluster, this.failoverTimeout), this.latency), this.log);
		}

	}

}
