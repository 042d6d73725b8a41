package dev.redisstarter.messaging.queue;

import java.util.Map;
import java.util.Set;

/**
 * Every queue's settings: the named ones, and the defaults for the rest.
 *
 * @param defaults for queues not named
 * @param named by queue name
 */
public record QueueSettingsByName(QueueSettings defaults, Map<String, QueueSettings> named) {

	/**
	 * Copies the map.
	 */
	public QueueSettingsByName {
		named = Map.copyOf(named);
	}

	/**
	 * A queue's settings.
	 * @param queue its name
	 * @return its settings
	 */
	public QueueSettings of(String queue) {
		return this.named.getOrDefault(queue, this.defaults);
	}

	/**
	 * The queues configured by name.
	 * @return their names
	 */
	public Set<String> names() {
		return this.named.keySet();
	}

	/**
	 * A copy with other defaults, for customizers.
	 * @param defaults the settings of every queue not named
	 * @return the copy
	 */
	public QueueSettingsByName withDefaults(QueueSettings defaults) {
		return new QueueSettingsByName(defaults, this.named);
	}

	/**
	 * A copy in which one queue has its own settings, for customizers.
	 * @param name the queue's name
	 * @param settings its settings
	 * @return the copy
	 */
	public QueueSettingsByName withNamed(String name, QueueSettings settings) {
		java.util.Map<String, QueueSettings> named = new java.util.LinkedHashMap<>(this.named);
		named.put(name, settings);
		return new QueueSettingsByName(this.defaults, named);
	}

}
