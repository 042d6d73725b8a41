package dev.redisstarter.sample.emails;

/**
 * The payload of a job of the {@code digests} queue, as the {@code daily-digest} schedule enqueues it
 * ({@code redis.starter.queue.schedules.daily-digest.payload}).
 *
 * @param edition which digest, such as {@code daily}
 */
public record Digest(String edition) {
}
