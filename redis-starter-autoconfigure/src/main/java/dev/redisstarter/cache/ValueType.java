package dev.redisstarter.cache;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * How the type of a cached value is known: given by the caller (the service's API and
 * {@code @TaggedCacheable}, which store no type names), or recorded in the entry (the Spring Cache bridge,
 * whose callers read without saying what they expect).
 */
interface ValueType {

	/** The type to read an entry as, or {@code null} when it cannot be read (a miss). */
	@Nullable JavaType readAs(CacheEntry entry);

	/** What to record about a value's type in its entry, or {@code null} for nothing. */
	@Nullable String describe(Object value);

	/**
	 * Whether a value would read back as what was written; a value that would not is not cached.
	 * @param value the value about to be cached
	 * @return true to cache it
	 */
	default boolean roundTrips(Object value) {
		return true;
	}

	static ValueType fixed(JavaType type) {
		return new ValueType() {

			@Override
			public JavaType readAs(CacheEntry entry) {
				return type;
			}

			@Override
			public @Nullable String describe(Object value) {
				return null;
			}

		};
	}

}
