package dev.redisstarter.messaging.queue;

/**
 * A job a worker holds: taken, running, or finished with its outcome not yet recorded. Its lease is renewed
 * until the outcome is recorded.
 *
 * @param owner the attempt's lease owner, {@code <token>:<take number>}
 * @param leaseMillis the lease each renewal grants
 * @param started whether its handler started (renewals then mark it as running, in case the start mark was lost)
 */
record HeldJob(String owner, long leaseMillis, boolean started) {

	HeldJob withLease(long millis) {
		return new HeldJob(this.owner, millis, this.started);
	}

	HeldJob asStarted() {
		return new HeldJob(this.owner, this.leaseMillis, true);
	}

}
