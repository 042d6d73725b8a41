package dev.redisstarter.cache;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A write of a write-behind cache that the writer kept failing on, as kept in its partition's dead letters.
 *
 * @param cache the cache's name
 * @param partition the partition it was written to
 * @param id the dead letter's id (in the partition's dead-letter stream)
 * @param key the cache key
 * @param operation a value stored, or a delete
 * @param value the value's JSON ({@code null} for a delete)
 * @param error the class name of the exception the writer threw last
 * @param message why it was given up and the exception's message
 * @param attempts how many times the writer was called with it
 * @param failedAt when it was given up (the server's time)
 */
public record WriteBehindDeadLetter(String cache, int partition, String id, String key, Operation operation,
		@Nullable String value, String error, String message, long attempts, @Nullable Instant failedAt) {

	/** What the write was. */
	public enum Operation {

		/** A value stored under the key. */
		SET,

		/** The key removed. */
		DELETE

	}

}
