package dev.redisstarter.autoconfigure;

import dev.redisstarter.cache.CacheSettings;

/**
 * Changes the cache settings (every cache's policy, the named caches, the load and wait timeouts) in code, after
 * they are built from {@code redis.starter.cache.*}: a bean of this type is applied to the immutable settings the
 * auto-configuration builds, in {@code @Order} (or {@code Ordered}) order, each receiving what the one before
 * returned. Replacing the {@code CacheSettings} bean instead turns these properties off altogether.
 * <pre>{@code
 * CacheSettingsCustomizer customizer = settings -> settings.withDefaults(settings.defaults().withTtlJitter(0.2));
 * }</pre>
 */
@FunctionalInterface
public interface CacheSettingsCustomizer {

	/**
	 * Changes the settings.
	 * @param settings the settings so far
	 * @return the settings to use (records are immutable: return a changed copy); never null
	 */
	CacheSettings customize(CacheSettings settings);

}
