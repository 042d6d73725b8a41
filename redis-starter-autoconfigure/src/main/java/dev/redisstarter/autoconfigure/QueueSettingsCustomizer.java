package dev.redisstarter.autoconfigure;

import dev.redisstarter.messaging.queue.QueueSettingsByName;

/**
 * Changes every queue's settings (the defaults and the named queues) in code, after they are built from
 * {@code redis.starter.queue.*}: a bean of this type is applied to the immutable settings the auto-configuration
 * builds, in {@code @Order} (or {@code Ordered}) order, each receiving what the one before returned. Replacing the
 * {@code QueueSettingsByName} bean instead turns these properties off altogether.
 * <pre>{@code
 * QueueSettingsCustomizer customizer = settings -> settings.withNamed("emails", settings.of("emails").withAttempts(5));
 * }</pre>
 */
@FunctionalInterface
public interface QueueSettingsCustomizer {

	/**
	 * Changes the settings.
	 * @param settings the settings so far
	 * @return the settings to use (records are immutable: return a changed copy); never null
	 */
	QueueSettingsByName customize(QueueSettingsByName settings);

}
