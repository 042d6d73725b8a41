package dev.redisstarter.autoconfigure;

import dev.redisstarter.messaging.stream.StreamSettingsByName;

/**
 * Changes every stream's settings (the defaults and the named streams) in code, after they are built from
 * {@code redis.starter.stream.*}: a bean of this type is applied to the immutable settings the auto-configuration
 * builds, in {@code @Order} (or {@code Ordered}) order, each receiving what the one before returned. Replacing the
 * {@code StreamSettingsByName} bean instead turns these properties off altogether.
 * <pre>{@code
 * StreamSettingsCustomizer customizer = settings -> settings.withNamed("orders", settings.apply("orders").withMaxDeliveries(3));
 * }</pre>
 */
@FunctionalInterface
public interface StreamSettingsCustomizer {

	/**
	 * Changes the settings.
	 * @param settings the settings so far
	 * @return the settings to use (records are immutable: return a changed copy); never null
	 */
	StreamSettingsByName customize(StreamSettingsByName settings);

}
