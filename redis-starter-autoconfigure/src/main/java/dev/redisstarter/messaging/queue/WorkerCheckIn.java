package dev.redisstarter.messaging.queue;

import java.time.Instant;

/**
 * A worker serving a queue on some instance, as it last checked in: every {@code stalled-interval} each
 * {@code @JobHandler}'s worker records itself in Redis (with its stalled check), and is listed until three intervals
 * pass without a check-in (a crashed instance's workers leave then) or until it stops (at once).
 *
 * @param instance the instance ({@code <host>:<pid>-<random>}: one process may run several applications)
 * @param handler the handler method ({@code Class.method})
 * @param concurrency its concurrency
 * @param state what it was doing at its check-in
 * @param held how many jobs it held
 * @param circuit its handler's circuit: {@code closed}, {@code open} or {@code probing}
 * @param checkedInAt when it last checked in (the Redis server's clock)
 * @param listedUntil when it leaves the list unless it checks in again (the Redis server's clock)
 */
public record WorkerCheckIn(String instance, String handler, int concurrency, WorkerStatus state, int held,
		String circuit, Instant checkedInAt, Instant listedUntil) {
}
