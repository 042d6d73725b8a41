/**
 * Actuator support for job queues: the {@code jobqueues} endpoint and the workers' health.
 */
@NullMarked
package dev.redisstarter.messaging.queue.actuate;

import org.jspecify.annotations.NullMarked;
