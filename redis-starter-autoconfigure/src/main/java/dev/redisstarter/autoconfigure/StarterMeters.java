package dev.redisstarter.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.redisstarter.cache.CacheMeter;
import dev.redisstarter.core.CoreMeter;
import dev.redisstarter.core.StarterMeter;
import dev.redisstarter.lock.LockMeter;
import dev.redisstarter.messaging.pubsub.MessagingMeter;
import dev.redisstarter.messaging.queue.QueueMeter;
import dev.redisstarter.messaging.stream.StreamMeter;
import dev.redisstarter.ratelimit.RateLimitMeter;
import dev.redisstarter.session.SessionMeter;

/**
 * Every meter the starter can register, capability by capability: what the meter table in docs/observability.md is
 * generated from, and what the registered meters are checked against. (The Spring Cache bridge's {@code cache.*}
 * meters follow Micrometer's cache conventions and are not listed.)
 */
public final class StarterMeters {

	private StarterMeters() {
	}

	/**
	 * The starter's meters, in the order of the docs: shared ones first, then each capability's.
	 * @return every documented meter
	 */
	public static List<StarterMeter> all() {
		List<StarterMeter> meters = new ArrayList<>();
		meters.addAll(Arrays.asList(CoreMeter.values()));
		meters.addAll(Arrays.asList(CacheMeter.values()));
		meters.addAll(Arrays.asList(RateLimitMeter.values()));
		meters.addAll(Arrays.asList(LockMeter.values()));
		meters.addAll(Arrays.asList(SessionMeter.values()));
		meters.addAll(Arrays.asList(MessagingMeter.values()));
		meters.addAll(Arrays.asList(StreamMeter.values()));
		meters.addAll(Arrays.asList(QueueMeter.values()));
		return List.copyOf(meters);
	}

}
