package dev.redisstarter.sample.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sample.events.*}: the limits of {@code GET /api/events} on one instance.
 *
 * @param maxClients how many streams may be open at once; the next is refused with 503
 * @param timeout how long a stream stays open (a browser's {@code EventSource} reconnects by itself)
 * @param heartbeat how often an idle stream gets a comment line, so that proxies keep it open and a client that
 * went away is noticed
 * @param backlog how many events may wait for one client that reads slower than they come; a client further
 * behind is disconnected rather than buffered for without end (an event is encoded once and shared by every
 * client's backlog, so a waiting event costs a reference per client, not a copy)
 */
@ConfigurationProperties("sample.events")
record EventsProperties(@DefaultValue("100") int maxClients, @DefaultValue("30m") Duration timeout,
		@DefaultValue("15s") Duration heartbeat, @DefaultValue("256") int backlog) {

	EventsProperties {
		if (maxClients < 1) {
			throw new IllegalArgumentException("sample.events.max-clients must be at least 1, was " + maxClients);
		}
		if (backlog < 1) {
			throw new IllegalArgumentException("sample.events.backlog must be at least 1, was " + backlog);
		}
		requirePositive("sample.events.timeout", timeout);
		requirePositive("sample.events.heartbeat", heartbeat);
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(property + " must be positive, was " + value);
		}
	}

}
