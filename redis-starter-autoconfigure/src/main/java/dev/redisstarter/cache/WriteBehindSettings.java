package dev.redisstarter.cache;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Which caches are write-behind, and how each persists its writes.
 *
 * @param caches the policy of each write-behind cache, by cache name (the part of a key before its first {@code ':'})
 */
public record WriteBehindSettings(Map<String, WriteBehindPolicy> caches) {

	/** No write-behind cache. */
	public static final WriteBehindSettings NONE = new WriteBehindSettings(Map.of());

	/**
	 * Checks the cache names: each becomes a stream's hash tag.
	 * @param caches the policies by cache
	 */
	public WriteBehindSettings {
		caches = Map.copyOf(caches);
		for (String cache : caches.keySet()) {
			if (cache.isEmpty() || cache.indexOf('{') >= 0 || cache.indexOf('}') >= 0 || cache.indexOf(':') >= 0) {
				throw new IllegalArgumentException(
						"A write-behind cache's name must not be empty nor contain braces or ':', was '" + cache + "'");
			}
		}
	}

	/**
	 * A cache's policy.
	 * @param cache the cache's name
	 * @return its policy, or {@code null} when it is not write-behind
	 */
	public @Nullable WriteBehindPolicy policy(String cache) {
		return this.caches.get(cache);
	}

}
