package dev.redisstarter.messaging.stream.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.redisstarter.messaging.stream.DeadLetter;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.StreamInspector;
import dev.redisstarter.messaging.stream.StreamListeners;

/**
 * {@code /actuator/streams}: the streams this application consumes (and those configured by name), with their
 * groups, consumers and dead letters; {@code POST /actuator/streams/{stream}/{deadLetterId}} replays a dead letter
 * ({@code all} replays every one), {@code DELETE /actuator/streams/{stream}} purges the dead letters.
 */
@Endpoint(id = "streams")
public class StreamsEndpoint {

	private static final int SHOWN_DEAD_LETTERS = 20;

	private final StreamListeners listeners;

	private final StreamInspector inspector;

	private final DeadLetters deadLetters;

	private final Set<String> configured;

	/**
	 * The endpoint.
	 * @param listeners the application's consumers
	 * @param inspector reads streams
	 * @param deadLetters reads and replays dead letters
	 * @param configured stream names configured under {@code redis.starter.stream.named}
	 */
	public StreamsEndpoint(StreamListeners listeners, StreamInspector inspector, DeadLetters deadLetters,
			Set<String> configured) {
		this.listeners = Objects.requireNonNull(listeners, "listeners must not be null");
		this.inspector = Objects.requireNonNull(inspector, "inspector must not be null");
		this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters must not be null");
		this.configured = Set.copyOf(configured);
	}

	/**
	 * Every known stream.
	 * @return the listeners and, per stream, its state and its oldest dead letters
	 */
	@ReadOperation
	public Map<String, Object> streams() {
		Set<String> names = new TreeSet<>(this.configured);
		this.listeners.states().forEach((state) -> names.add(state.stream()));
		Map<String, Object> streams = new LinkedHashMap<>();
		for (String name : names) {
			streams.put(name, stream(name));
		}
		return Map.of("listeners", this.listeners.states(), "streams", streams);
	}

	/**
	 * One stream.
	 * @param stream the stream's name
	 * @return its length, groups, consumers and oldest dead letters
	 */
	@ReadOperation
	public Map<String, Object> stream(@Selector String stream) {
		Map<String, Object> result = new LinkedHashMap<>(this.inspector.inspect(stream));
		List<DeadLetter> letters = this.deadLetters.list(stream, SHOWN_DEAD_LETTERS);
		result.put("deadLetterCount", this.deadLetters.count(stream));
		// Dropped by dead-letter-max-length since this instance started: gone for good.
		result.put("deadLettersTrimmed", this.listeners.deadLettersTrimmed(stream));
		result.put("deadLetters", letters);
		return result;
	}

	/**
	 * Replays a dead letter into its stream.
	 * @param stream the stream's name
	 * @param deadLetterId the dead letter's id, or {@code all}
	 * @return the new entry's id, or how many were replayed
	 */
	@WriteOperation
	public Map<String, Object> replay(@Selector String stream, @Selector String deadLetterId) {
		if (deadLetterId.equals("all")) {
			return Map.of("replayed", this.deadLetters.replayAll(stream));
		}
		return this.deadLetters.replay(stream, deadLetterId)
			.<Map<String, Object>>map((id) -> Map.of("replayed", 1, "id", id.getValue()))
			.orElseGet(() -> Map.of("replayed", 0));
	}

	/**
	 * Deletes a stream's dead letters.
	 * @param stream the stream's name
	 * @return how many were deleted
	 */
	@DeleteOperation
	public Map<String, Object> purge(@Selector String stream) {
		return Map.of("purged", this.deadLetters.purge(stream));
	}

}
