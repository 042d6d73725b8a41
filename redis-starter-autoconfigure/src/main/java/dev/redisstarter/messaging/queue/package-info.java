/**
 * Job queue: {@link dev.redisstarter.messaging.queue.JobQueue} enqueues, {@link dev.redisstarter.messaging.queue.JobHandler}
 * methods run jobs at least once under renewed leases, with retries, delays, priorities, dead letters and
 * schedules. All of one queue's keys share the hash tag {@code {<queue>}}.
 */
@NullMarked
package dev.redisstarter.messaging.queue;

import org.jspecify.annotations.NullMarked;
