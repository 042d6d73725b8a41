package dev.redisstarter.messaging.queue;

/**
 * How many jobs a worker takes ahead of its handlers: pure arithmetic, so that it is unit-tested without Redis. About
 * 20 ms of work by the measured handling time, at most {@code prefetch}: short jobs then run from a local buffer, one
 * take per many jobs; long jobs stay in Redis, where a free worker of any instance takes them.
 *
 * @param concurrency the worker's handler threads
 * @param prefetch the most jobs taken ahead
 */
record ReadAhead(int concurrency, int prefetch) {

	/** The work a worker keeps in its local buffer, in milliseconds of handling. */
	static final double BUFFERED_MILLIS = 20.0;

	/**
	 * Handler slots plus the most jobs taken ahead: the permits of a run.
	 * @return the capacity
	 */
	int capacity() {
		return this.concurrency + this.prefetch;
	}

	/**
	 * How many jobs to take ahead now.
	 * @param handlingMillis the measured handling time of a job, negative before the first
	 * @return from 0 to {@code prefetch}; {@code concurrency} (at most {@code prefetch}) before anything is measured
	 */
	int ahead(double handlingMillis) {
		if (this.prefetch == 0) {
			return 0;
		}
		if (handlingMillis < 0) {
			return Math.min(this.prefetch, this.concurrency);
		}
		return (int) Math.min(this.prefetch,
				Math.floor(this.concurrency * BUFFERED_MILLIS / Math.max(handlingMillis, 0.001)));
	}

	/**
	 * The permits a take waits for: the read-ahead it does not use now (held back so that a take never runs ahead of
	 * the bound), plus half the look-ahead (so that handlers stay busy while it runs), at least one.
	 * @param ahead what {@link #ahead} answered
	 * @return the permits to acquire before a take
	 */
	int needed(int ahead) {
		return reserve(ahead) + Math.max(1, ahead / 2);
	}

	/**
	 * The read-ahead not used now, given back after the take's permits are drained.
	 * @param ahead what {@link #ahead} answered
	 * @return {@code prefetch - ahead}
	 */
	int reserve(int ahead) {
		return this.prefetch - ahead;
	}

}
