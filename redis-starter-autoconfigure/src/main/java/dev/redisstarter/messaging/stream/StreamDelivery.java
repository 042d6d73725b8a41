package dev.redisstarter.messaging.stream;

import java.util.Map;
import java.util.Objects;

import org.springframework.data.redis.connection.stream.RecordId;

/**
 * What a {@link StreamListener} method may know about an entry besides its payload.
 *
 * @param stream the stream's name
 * @param group the consumer group
 * @param id the entry's id
 * @param deliveries how many times it has been delivered, this time included (1 the first time)
 * @param fields the entry's fields other than the payload (and the starter's replay fields)
 * @param originalId the id the entry first had: for a dead letter put back by {@link DeadLetters#replay}, the id of
 * the entry that failed (through any number of replays), else {@link #id()}; key idempotency on this one
 */
public record StreamDelivery(String stream, String group, RecordId id, long deliveries, Map<String, String> fields,
		RecordId originalId) {

	/** The field of a replayed entry that holds the id the entry first had. */
	static final String REPLAY_OF = "x-replay-of";

	/** The field of a replayed entry that names the only group it is for. */
	static final String REPLAY_GROUP = "x-replay-group";

	/**
	 * Checked values.
	 */
	public StreamDelivery {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(originalId, "originalId must not be null");
	}

	/**
	 * A delivery of an entry that is not a replay (its original id is its id).
	 * @param stream the stream's name
	 * @param group the consumer group
	 * @param id the entry's id
	 * @param deliveries how many times it has been delivered
	 * @param fields the entry's fields other than the payload
	 */
	public StreamDelivery(String stream, String group, RecordId id, long deliveries, Map<String, String> fields) {
		this(stream, group, id, deliveries, fields, id);
	}

	/**
	 * Whether the entry is a dead letter put back into the stream.
	 * @return true when its original id differs from its id
	 */
	public boolean isReplay() {
		return !this.originalId.equals(this.id);
	}

}
