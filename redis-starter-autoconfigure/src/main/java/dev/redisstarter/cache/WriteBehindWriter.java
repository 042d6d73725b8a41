package dev.redisstarter.cache;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * Persists the writes of a write-behind cache to the system of record, a batch at a time. A bean of this type is the
 * writer of the caches whose {@code write-behind.writer} names it, or of every write-behind cache when it is the only
 * one.
 *
 * <p>A batch holds each key once (the last write of the key in the batch wins) and reaches the writer only after every
 * earlier batch of the same partition was persisted or dead-lettered, so that the writes of a key are persisted in
 * order. A batch may be delivered again (the instance persisting it crashed before it was acknowledged, or the call
 * threw): the writer must be idempotent, which upserts and deletes by key are.
 *
 * @param <V> the values' type, read from the writes' JSON
 */
@FunctionalInterface
public interface WriteBehindWriter<V> {

	/**
	 * Persists a batch. Returning acknowledges it; throwing retries it with back-off, then key by key, then
	 * dead-letters the keys that still fail.
	 * @param cache the cache's name
	 * @param upserts the values to store, by cache key (as given to the cache, such as {@code products:42})
	 * @param deletes the cache keys to remove (never also in {@code upserts})
	 * @throws Exception when the batch could not be persisted
	 */
	void write(String cache, Map<String, V> upserts, Set<String> deletes) throws Exception;

	/**
	 * The type the values are read as; by default the writer's type argument, found on the class (and through a
	 * class-based proxy); {@code Object} (maps and lists) when it cannot be told, as for a lambda or an interface-based
	 * proxy, which should override this.
	 * @return the type
	 */
	default Type valueType() {
		@Nullable Class<?> resolved = ResolvableType.forClass(getClass()).as(WriteBehindWriter.class).resolveGeneric(0);
		if (resolved == null) {
			return Object.class;
		}
		return ResolvableType.forClass(getClass()).as(WriteBehindWriter.class).getGeneric(0).getType();
	}

}
