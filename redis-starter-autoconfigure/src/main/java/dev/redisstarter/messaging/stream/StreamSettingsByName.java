package dev.redisstarter.messaging.stream;

import java.util.Map;
import java.util.function.Function;

/**
 * Each stream's settings: its own when configured, else the defaults.
 *
 * @param defaults every stream's settings
 * @param named settings of individual streams by name
 */
public record StreamSettingsByName(StreamSettings defaults, Map<String, StreamSettings> named)
		implements Function<String, StreamSettings> {

	/**
	 * Settings by name.
	 * @param defaults every stream's settings
	 * @param named settings of individual streams by name
	 */
	public StreamSettingsByName {
		named = Map.copyOf(named);
	}

	@Override
	public StreamSettings apply(String stream) {
		return this.named.getOrDefault(stream, this.defaults);
	}

}
