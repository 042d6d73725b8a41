package dev.redisstarter.messaging.stream.actuate;

import java.util.List;
import java.util.Objects;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.redisstarter.messaging.stream.StreamListeners;

/**
 * The {@code streams} health component: UP when every {@code @StreamListener} consumer is reading, DOWN (with
 * each consumer's state) when one waits for Redis; consumers resume by themselves, so DOWN says "not consuming
 * now", not "restart me".
 */
public class StreamsHealthIndicator extends AbstractHealthIndicator {

	private final StreamListeners listeners;

	/**
	 * An indicator.
	 * @param listeners the application's consumers
	 */
	public StreamsHealthIndicator(StreamListeners listeners) {
		super("Stream consumers health check failed");
		this.listeners = Objects.requireNonNull(listeners, "listeners must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<StreamListeners.ConsumerState> states = this.listeners.states();
		// A listener paused by its circuit is connected and keeps its entries: its downstream is what is down.
		boolean reading = states.stream()
			.allMatch((state) -> state.state().isConnected());
		(reading ? builder.up() : builder.down()).withDetail("consumers", states);
	}

}
