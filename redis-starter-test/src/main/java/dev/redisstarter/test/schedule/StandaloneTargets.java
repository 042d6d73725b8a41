package dev.redisstarter.test.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

/** What a {@link FaultInjector} faults besides replicated deployments: a server, a proxy, consumers, a downstream. */
final class StandaloneTargets {

	private static final Logger logger = LoggerFactory.getLogger(StandaloneTargets.class);

	private final @Nullable LocalRedisServer redis;

	private final @Nullable FaultProxy proxy;

	private final List<JvmProcess> consumers;

	private final @Nullable DownstreamSwitch downstream;

	private final ReplicatedTargets replicated;

	private final Duration latency;

	StandaloneTargets(@Nullable LocalRedisServer redis, @Nullable FaultProxy proxy, List<JvmProcess> consumers,
			@Nullable DownstreamSwitch downstream, ReplicatedTargets replicated, Duration latency) {
		this.redis = redis;
		this.proxy = proxy;
		this.consumers = consumers;
		this.downstream = downstream;
		this.replicated = replicated;
		this.latency = latency;
	}

	void check(FaultKind kind) {
		Map<FaultKind, Boolean> present = Map.of(FaultKind.KILL_CONSUMER, !this.consumers.isEmpty(),
				FaultKind.PAUSE_CONSUMER, !this.consumers.isEmpty(), FaultKind.RESTART_REDIS, this.redis != null,
				FaultKind.RESTART_REDIS_EMPTY, this.redis != null, FaultKind.FREEZE_REDIS, this.redis != null,
				FaultKind.BLACK_HOLE, this.proxy != null, FaultKind.LATENCY, this.proxy != null,
				FaultKind.DOWNSTREAM_OUTAGE, this.downstream != null);
		if (!present.getOrDefault(kind, true)) {
			throw new IllegalArgumentException("The schedule has " + kind + " faults but the injector has no target for them");
		}
		if (kind == FaultKind.RESTART_REDIS && this.redis != null) {
			Object appendonly = this.redis.command("CONFIG", "GET", "appendonly");
			if (!String.valueOf(appendonly).contains("yes")) {
				throw new IllegalArgumentException("RESTART_REDIS keeps data only with appendonly yes: build the server with "
						+ "config(\"appendonly\", \"yes\") and config(\"appendfsync\", \"always\")");
			}
		}
		this.replicated.check(kind);
	}

	void inject(ScheduledFault fault) {
		switch (fault.kind()) {
			case KILL_CONSUMER -> consumer(fault).kill();
			case PAUSE_CONSUMER -> consumer(fault).pause();
			case RESTART_REDIS -> redis().stop();
			case RESTART_REDIS_EMPTY -> {
				redis().stop();
				redis().deleteDataFiles();
			}
			case FREEZE_REDIS -> redis().freeze();
			case BLACK_HOLE -> proxy().set(Fault.BLACK_HOLE);
			case LATENCY -> proxy().setLatency(this.latency).set(Fault.LATENCY);
			case DOWNSTREAM_OUTAGE -> downstream().down();
			case SENTINEL_FAILOVER, CLUSTER_MASTER_KILLED -> this.replicated.inject(fault);
		}
	}

	void heal(ScheduledFault fault) {
		switch (fault.kind()) {
			case KILL_CONSUMER -> consumer(fault).start();
			case PAUSE_CONSUMER -> consumer(fault).resume();
			case RESTART_REDIS, RESTART_REDIS_EMPTY -> redis().start();
			case FREEZE_REDIS -> redis().thaw();
			case BLACK_HOLE -> {
				// Bytes the black hole swallowed leave reused connections out of step: reset them first.
				proxy().set(Fault.RESET);
				proxy().pass();
			}
			case LATENCY -> proxy().pass();
			case DOWNSTREAM_OUTAGE -> downstream().up();
			case SENTINEL_FAILOVER, CLUSTER_MASTER_KILLED -> this.replicated.heal(fault);
		}
	}

	/** Best effort after a failure: every target back to health, each step on its own. */
	void healAll() {
		for (Runnable step : List.<Runnable>of(() -> this.consumers.forEach(JvmProcess::resume),
				() -> this.consumers.forEach(JvmProcess::start), () -> redis().thaw(), () -> redis().start(),
				() -> proxy().pass(), () -> downstream().up(), this.replicated::healAll)) {
			try {
				step.run();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not heal after a failed schedule", ex);
			}
		}
	}

	private JvmProcess consumer(ScheduledFault fault) {
		return this.consumers.get(fault.target() % this.consumers.size());
	}

	private LocalRedisServer redis() {
		if (this.redis == null) {
			throw new IllegalStateException("No Redis server to fault");
		}
		return this.redis;
	}

	private FaultProxy proxy() {
		if (this.proxy == null) {
			throw new IllegalStateException("No proxy to fault");
		}
		return this.proxy;
	}

	private DownstreamSwitch downstream() {
		if (this.downstream == null) {
			throw new IllegalStateException("No downstream to fault");
		}
		return this.downstream;
	}

}
