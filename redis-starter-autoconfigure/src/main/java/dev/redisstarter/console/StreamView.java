package dev.redisstarter.console;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.lettuce.core.models.stream.PendingMessages;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.StreamInspector;
import dev.redisstarter.messaging.stream.StreamListeners;
import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;

/**
 * The console's streams: what {@code /actuator/streams} shows (the same {@link StreamsEndpoint} logic, whether or
 * not that endpoint is exposed), with each group's oldest pending entry's age ({@code XPENDING} summary: the age
 * of the entry's id, that is since it was added), dead letters with their payloads cut, and their replay.
 */
public final class StreamView {

	/**
	 * A consumer group.
	 *
	 * @param name its name
	 * @param pending entries delivered and not acknowledged
	 * @param lag entries not yet delivered ({@code null} when Redis cannot tell)
	 * @param oldestPendingAgeMillis how long ago the oldest pending entry was added, or {@code null} when none
	 * @param consumers its consumers
	 */
	public record Group(String name, @Nullable Long pending, @Nullable Long lag, @Nullable Long oldestPendingAgeMillis,
			List<StreamInspector.ConsumerInfo> consumers) {
	}

	/**
	 * A dead letter.
	 *
	 * @param id its id in the dead-letter stream
	 * @param originalId the entry's id in its stream
	 * @param group the group that gave up
	 * @param deliveries how many times it was delivered
	 * @param error the error's class
	 * @param message why it was given up
	 * @param failedAt when
	 * @param payload its payload, cut
	 */
	public record DeadLine(String id, String originalId, String group, long deliveries, String error, String message,
			@Nullable Instant failedAt, @Nullable String payload) {
	}

	/**
	 * One stream.
	 *
	 * @param name its name
	 * @param key its key
	 * @param length its entries
	 * @param groups its groups
	 * @param deadLetterCount its dead letters
	 * @param deadLetters the oldest of them
	 * @param error why it could not be read
	 */
	public record StreamLine(String name, @Nullable String key, long length, List<Group> groups, long deadLetterCount,
			List<DeadLine> deadLetters, @Nullable String error) {
	}

	/**
	 * Every stream.
	 *
	 * @param listeners this instance's consumers
	 * @param streams per stream
	 */
	public record Streams(List<StreamListeners.ConsumerState> listeners, List<StreamLine> streams) {
	}

	/** A whole entry id: the replay script reads it with XRANGE, where anything else is a range ('-', '(', ms only). */
	private static final Pattern ENTRY_ID = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");

	private final StreamsEndpoint endpoint;

	private final DeadLetters deadLetters;

	private final RedisCalls calls;

	private final ConsoleSettings settings;

	StreamView(StreamsEndpoint endpoint, DeadLetters deadLetters, RedisCalls calls, ConsoleSettings settings) {
		this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
		this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters must not be null");
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	/**
	 * Every known stream.
	 * @return the listeners and the streams
	 */
	public Streams streams() {
		// One character more than the preview: settings.preview then marks what was cut.
		StreamsEndpoint.Streams all = this.endpoint.streams((int) Math.min(Integer.MAX_VALUE,
				this.settings.payloadPreview() + 1L));
		List<StreamLine> lines = new ArrayList<>();
		long now = System.currentTimeMillis();
		all.streams().forEach((name, stream) -> {
			List<Group> groups = new ArrayList<>();
			for (StreamInspector.GroupState group : stream.groups()) {
				groups.add(new Group(group.name(), group.pending(), group.lag(),
						oldestPendingAge(stream.key(), group, now), group.consumers()));
			}
			List<DeadLine> letters = stream.deadLetters()
				.stream()
				.limit(this.settings.listSize())
				.map((letter) -> new DeadLine(letter.id(), letter.originalId(), letter.group(), letter.deliveries(),
						letter.error(), this.settings.preview(letter.message()), letter.failedAt(),
						this.settings.preview(letter.payload())))
				.toList();
			lines.add(new StreamLine(name, stream.key(), stream.length(), groups, stream.deadLetterCount(), letters,
					null));
		});
		return new Streams(all.listeners(), lines);
	}

	/**
	 * Replays a dead letter into its stream, for the group that gave up on it.
	 * @param stream the stream
	 * @param deadLetterId the dead letter's id
	 * @return the new entry's id, or empty when there was no such dead letter
	 * @throws IllegalArgumentException when the id is not a whole entry id ({@code <ms>-<seq>})
	 */
	public Optional<String> replay(String stream, String deadLetterId) {
		if (!ENTRY_ID.matcher(deadLetterId).matches()) {
			throw new IllegalArgumentException("A dead letter's id is <milliseconds>-<sequence>, was '" + deadLetterId + "'");
		}
		return this.deadLetters.replay(stream, deadLetterId).map((id) -> id.getValue());
	}

	private @Nullable Long oldestPendingAge(String key, StreamInspector.GroupState group, long now) {
		if (group.pending() == null || group.pending() == 0) {
			return null;
		}
		byte[] stream = key.getBytes(StandardCharsets.UTF_8);
		try {
			PendingMessages pending = this.calls.call((redis) -> redis.xpending(stream, group.name().getBytes(StandardCharsets.UTF_8)));
			if (pending == null || pending.getMessageIds() == null || pending.getMessageIds().getLower() == null
					|| pending.getMessageIds().getLower().getValue() == null) {
				return null;
			}
			String oldest = pending.getMessageIds().getLower().getValue();
			int dash = oldest.indexOf('-');
			return Math.max(0, now - Long.parseLong((dash < 0) ? oldest : oldest.substring(0, dash)));
		}
		catch (DataAccessException | NumberFormatException ex) {
			return null;
		}
	}

}
