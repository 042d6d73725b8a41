package dev.redisstarter.messaging.queue;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One failed attempt of a job.
 *
 * @param attempt which attempt failed (1 for the first)
 * @param at when, by the Redis server's clock
 * @param type the exception's class name
 * @param message the exception's message
 */
public record JobError(int attempt, @Nullable Instant at, String type, @Nullable String message) {
}
