package dev.redisstarter.messaging.schedule;

/**
 * What the fault-schedule producer enqueues and adds: the application's own id, recorded in the ledgers.
 *
 * @param id {@code j-<n>} for a job, {@code e-<n>} for a stream entry
 */
public record Work(String id) {
}
