package dev.redisstarter.messaging.stream;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a {@code @StreamListener}'s consumer is doing; shown by health and the Actuator endpoint by its label. */
public enum ConsumerStatus {

	/** Reading and handling entries. */
	READING("reading"),

	/** Connected, but its handler's circuit is open or probing: nothing is read or dead-lettered. */
	PAUSED("paused"),

	/** Waiting for Redis to answer again. */
	WAITING_FOR_REDIS("waiting for Redis"),

	/** Not started, or stopped. */
	STOPPED("stopped");

	private final String label;

	ConsumerStatus(String label) {
		this.label = label;
	}

	/**
	 * Whether the consumer is connected and keeps its entries: reading or paused by its circuit.
	 * @return true unless waiting for Redis or stopped
	 */
	public boolean isConnected() {
		return this == READING || this == PAUSED;
	}

	/**
	 * The status as health and the Actuator endpoint show it.
	 * @return the label, such as {@code reading} or {@code waiting for Redis}
	 */
	@JsonValue
	public String label() {
		return this.label;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
