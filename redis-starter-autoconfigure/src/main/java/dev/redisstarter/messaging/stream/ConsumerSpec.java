package dev.redisstarter.messaging.stream;

import java.time.Duration;

/**
 * Everything fixed about one consumer of one {@link StreamListener} method.
 *
 * @param listener the listener's id
 * @param stream the stream's name in code
 * @param key the stream's key
 * @param deadLetterKey the dead-letter stream's key
 * @param instancesKey the durable-topic instances hash's key
 * @param group the group (for a durable topic, this instance's own)
 * @param consumer this consumer's name in the group
 * @param settings the stream's settings
 * @param concurrency how many entries are handled at once
 * @param batch whether the method takes lists
 * @param atMostOnce whether entries are read with NOACK
 * @param broadcast whether this is a durable topic
 * @param shutdownWait how long in-flight entries may finish on shutdown
 * @param instanceExpiry a durable-topic instance not seen for this long has its group removed
 * @param topicGroup the group as the listener names it (a durable topic's instance groups are
 * {@code <topicGroup>:<instance-id>})
 */
record ConsumerSpec(String listener, String stream, String key, String deadLetterKey, String instancesKey,
		String group, String consumer, StreamSettings settings, int concurrency, boolean batch, boolean atMostOnce,
		boolean broadcast, Duration shutdownWait, Duration instanceExpiry, String topicGroup) {
}
