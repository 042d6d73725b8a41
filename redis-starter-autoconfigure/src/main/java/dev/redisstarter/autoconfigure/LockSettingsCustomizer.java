package dev.redisstarter.autoconfigure;

import dev.redisstarter.lock.LockSettings;

/**
 * Changes the lock settings (default lease and wait, renewal, poll interval) in code, after they are built from
 * {@code redis.starter.lock.*}: a bean of this type is applied to the immutable settings the auto-configuration
 * builds, in {@code @Order} (or {@code Ordered}) order, each receiving what the one before returned. Replacing the
 * {@code LockSettings} bean instead turns these properties off altogether.
 * <pre>{@code
 * LockSettingsCustomizer customizer = settings -> settings.withDefaultLease(Duration.ofMinutes(2));
 * }</pre>
 */
@FunctionalInterface
public interface LockSettingsCustomizer {

	/**
	 * Changes the settings.
	 * @param settings the settings so far
	 * @return the settings to use (records are immutable: return a changed copy); never null
	 */
	LockSettings customize(LockSettings settings);

}
