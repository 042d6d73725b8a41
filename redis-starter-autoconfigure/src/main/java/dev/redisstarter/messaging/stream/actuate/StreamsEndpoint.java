package dev.redisstarter.messaging.stream.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
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
 * groups, consumers and dead letters; {@code /actuator/streams/{stream}} one of them. {@code POST
 * /actuator/streams/{stream}/{deadLetterId}} replays a dead letter ({@code all} replays every one), {@code DELETE
 * /actuator/streams/{stream}} purges the dead letters. The endpoint is read-only by default
 * ({@link Access#READ_ONLY}): replay and purge exist only with {@code management.endpoint.streams.access=unrestricted}.
 */
@Endpoint(id = "streams", defaultAccess = Access.READ_ONLY)
public class StreamsEndpoint {

	/** The selector that stands for every dead letter of a stream. */
	public static final String ALL = "all";

	private static final int SHOWN_DEAD_LETTERS = 20;

	/** Characters of each field of a dead letter in the lists (a page of large entries stays small). */
	public static final int PAYLOAD_PREVIEW = 1_000;

	/**
	 * {@code GET /actuator/streams}.
	 *
	 * @param listeners this application's consumers
	 * @param streams per stream name, sorted
	 */
	public record Streams(List<StreamListeners.ConsumerState> listeners, Map<String, StreamDescriptor> streams)
			implements OperationResponseBody {
	}

	/**
	 * One stream.
	 *
	 * @param key its Redis key
	 * @param length its number of entries
	 * @param groups its consumer groups with their consumers
	 * @param deadLetterCount how many dead letters it has
	 * @param deadLettersTrimmed dead letters dropped by {@code dead-letter-max-length} since this instance started
	 * (gone for good)
	 * @param deadLetters its oldest dead letters
	 */
	public record StreamDescriptor(String key, long length, List<StreamInspector.GroupState> groups,
			long deadLetterCount, long deadLettersTrimmed, List<DeadLetter> deadLetters)
			implements OperationResponseBody {
	}

	/**
	 * The result of a replay: the same {@code replayed} as in {@code /actuator/jobqueues}.
	 *
	 * @param replayed how many dead letters went back into the stream
	 * @param id the new entry's id when one dead letter was replayed; absent from the JSON otherwise
	 */
	public record Replayed(long replayed, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String id)
			implements OperationResponseBody {
	}

	/**
	 * The result of a purge: the same {@code purged} as in {@code /actuator/jobqueues}.
	 *
	 * @param purged how many dead letters were deleted
	 */
	public record Purged(long purged) implements OperationResponseBody {
	}

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
	public Streams streams() {
		return streams(PAYLOAD_PREVIEW);
	}

	/**
	 * Every known stream, its dead letters' fields cut to a preview.
	 * @param previewChars characters kept of each field, 1 or more
	 * @return the listeners and, per stream, its state and its oldest dead letters
	 */
	public Streams streams(int previewChars) {
		List<StreamListeners.ConsumerState> states = this.listeners.states();
		Set<String> names = new TreeSet<>(this.configured);
		states.forEach((state) -> names.add(state.stream()));
		Map<String, StreamDescriptor> streams = new LinkedHashMap<>();
		for (String name : names) {
			streams.put(name, stream(name, previewChars));
		}
		return new Streams(states, streams);
	}

	/**
	 * One stream.
	 * @param stream the stream's name
	 * @return its length, groups, consumers and oldest dead letters
	 */
	@ReadOperation
	public StreamDescriptor stream(@Selector String stream) {
		return stream(stream, PAYLOAD_PREVIEW);
	}

	private StreamDescriptor stream(String stream, int previewChars) {
		StreamInspector.StreamState state = this.inspector.inspect(stream);
		List<DeadLetter> letters = this.deadLetters.preview(stream, SHOWN_DEAD_LETTERS, previewChars);
		return new StreamDescriptor(state.key(), state.length(), state.groups(), this.deadLetters.count(stream),
				this.listeners.deadLettersTrimmed(stream), letters);
	}

	/**
	 * Replays a dead letter into its stream. A write operation, so only there with
	 * {@code management.endpoint.streams.access=unrestricted}.
	 * @param stream the stream's name
	 * @param deadLetterId the dead letter's id, or {@code all}
	 * @return how many were replayed, and the new entry's id for one
	 */
	@WriteOperation
	public Replayed replay(@Selector String stream, @Selector String deadLetterId) {
		if (deadLetterId.equals(ALL)) {
			return new Replayed(this.deadLetters.replayAll(stream), null);
		}
		return this.deadLetters.replay(stream, deadLetterId)
			.map((id) -> new Replayed(1, id.getValue()))
			.orElseGet(() -> new Replayed(0, null));
	}

	/**
	 * Deletes a stream's dead letters. A delete operation, so only there with
	 * {@code management.endpoint.streams.access=unrestricted}.
	 * @param stream the stream's name
	 * @return how many were deleted
	 */
	@DeleteOperation
	public Purged purge(@Selector String stream) {
		return new Purged(this.deadLetters.purge(stream));
	}

}
