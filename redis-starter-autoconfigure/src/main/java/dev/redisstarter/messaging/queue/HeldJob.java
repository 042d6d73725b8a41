package dev.redisstarter.messaging.queue;

/**
 * A job a worker holds: taken, running, or finished with its outcome not yet recorded. Its lease is renewed
 * until the outcome is recorded.
 *
 * @param owner the attempt's lease owner, {@code <token>:<take number>}
 * @param leaseMillis the lease each renewal grants
 */
record HeldJob(String owner, long leaseMillis) {
}
