package dev.redisstarter.cache;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * An entry held in a near cache: the entry as Redis stored it (its tag versions are checked on every local hit),
 * the value decoded once for the type it was first read as, and when it expires in Redis.
 *
 * @param entry the entry as stored
 * @param readBy the reader of types that chose {@code type} ({@code null} for a cached "absent"): the same reader
 * chooses the same type for the same entry, so a local hit through it need not resolve the type again
 * @param type the type {@code value} was decoded as ({@code null} for a cached "absent")
 * @param value the decoded value, shared by every caller in this JVM ({@code null} for a cached "absent")
 * @param redisExpiresAtNanos when the entry expires in Redis ({@link System#nanoTime()} scale), or
 * {@link Long#MAX_VALUE} when it has no time to live
 * @param localLifeNanos how long the copy is served here: until its Redis expiry, at most the policy's maximum
 */
record NearEntry(CacheEntry entry, @Nullable ValueType readBy, @Nullable JavaType type, @Nullable Object value, long redisExpiresAtNanos,
		long localLifeNanos) {

	/** The weight of an entry for a tier bounded by bytes: what it stores plus a fixed overhead per entry. */
	int weight(String key) {
		long bytes = 96L + 2L * key.length() + this.entry.stored().length;
		return (int) Math.min(Integer.MAX_VALUE, bytes);
	}

	/** Its remaining life in Redis in ms, for early refresh; -1 when it has none. */
	long redisTtlMillis(long nowNanos) {
		if (this.redisExpiresAtNanos == Long.MAX_VALUE) {
			return -1;
		}
		return Math.max(1, (this.redisExpiresAtNanos - nowNanos) / 1_000_000);
	}

}
