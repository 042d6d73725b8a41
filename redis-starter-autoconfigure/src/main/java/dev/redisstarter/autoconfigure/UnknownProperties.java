package dev.redisstarter.autoconfigure;

/**
 * What happens at start-up when a name under {@code redis.starter} is not one the starter binds
 * ({@code redis.starter.unknown-properties}).
 */
public enum UnknownProperties {

	/** Stop start-up, naming each unknown property and the nearest valid one. */
	FAIL,

	/** Log one WARN per unknown property and start. */
	WARN

}
