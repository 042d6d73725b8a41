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

}
