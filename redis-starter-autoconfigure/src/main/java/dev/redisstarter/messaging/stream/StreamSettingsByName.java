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

	/**
	 * A copy with other defaults, for customizers.
	 * @param defaults the settings of every stream not named
	 * @return the copy
	 */
	public StreamSettingsByName withDefaults(StreamSettings defaults) {
		return new StreamSettingsByName(defaults, this.named);
	}

	/**
	 * A copy in which one stream has its own settings, for customizers.
	 * @param name the stream's name
	 * @param settings its settings
	 * @return the copy
	 */
	public StreamSettingsByName withNamed(String name, StreamSettings settings) {
		java.util.Map<String, StreamSettings> named = new java.util.LinkedHashMap<>(this.named);
		named.put(name, settings);
		return new StreamSettingsByName(this.defaults, named);
	}

}
