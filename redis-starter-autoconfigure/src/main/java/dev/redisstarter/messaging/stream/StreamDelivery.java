package dev.redisstarter.messaging.stream;

import java.util.Map;

import org.springframework.data.redis.connection.stream.RecordId;

/**
 * What a {@link StreamListener} method may know about an entry besides its payload.
 *
 * @param stream the stream's name
 * @param group the consumer group
 * @param id the entry's id
 * @param deliveries how many times it has been delivered, this time included (1 the first time)
 * @param fields the entry's fields other than the payload
 */
public record StreamDelivery(String stream, String group, RecordId id, long deliveries, Map<String, String> fields) {
}
