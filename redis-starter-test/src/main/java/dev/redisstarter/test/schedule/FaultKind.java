package dev.redisstarter.test.schedule;

/**
 * The faults a {@link FaultSchedule} draws from; each is injected, held for the fault's duration, then healed by
 * a {@link FaultInjector}.
 */
public enum FaultKind {

	/** {@code kill -9} of one consumer process; healed by starting it again. */
	KILL_CONSUMER(false),

	/** {@code SIGSTOP} of one consumer process (a stalled instance: GC pause, frozen VM); healed by {@code SIGCONT}. */
	PAUSE_CONSUMER(false),

	/**
	 * Redis stopped ({@code SIGTERM}) and started again on the same port with its data: the server must run with
	 * {@code appendonly yes}, and with {@code appendfsync always} for no acknowledged write to be lost.
	 */
	RESTART_REDIS(false),

	/** Redis stopped and started again with its data files deleted: everything it held is lost. */
	RESTART_REDIS_EMPTY(true),

	/** {@code SIGSTOP} of the Redis server (connections stay open, nothing answers); healed by {@code SIGCONT}. */
	FREEZE_REDIS(false),

	/** Every connection through the {@code FaultProxy} swallows its bytes; healed by a reset, then passing again. */
	BLACK_HOLE(false),

	/** Every reply through the {@code FaultProxy} is delayed; healed by passing again. */
	LATENCY(false),

	/**
	 * The application's downstream fails (every handler call fails): the {@link DownstreamSwitch} of the run is
	 * down; healed by putting it up again.
	 */
	DOWNSTREAM_OUTAGE(false),

	/**
	 * A Sentinel failover ({@code SENTINEL FAILOVER}): a replica is promoted; writes the old master had not
	 * replicated may be lost.
	 */
	SENTINEL_FAILOVER(true),

	/**
	 * A Cluster master killed: its replica is promoted; the old master is started again and rejoins as a
	 * replica. Writes it had not replicated may be lost.
	 */
	CLUSTER_MASTER_KILLED(true);

	private final boolean losesData;

	FaultKind(boolean losesData) {
		this.losesData = losesData;
	}

	/**
	 * Whether Redis may lose acknowledged writes in this fault, so that work accepted before it may be lost.
	 * @return true for a restart without data, a failover, a master killed
	 */
	public boolean losesData() {
		return this.losesData;
	}

}
