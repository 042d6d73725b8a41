package dev.redisstarter.ratelimit;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Remembers, for a while, keys that Redis rejected, so that further requests on them are rejected without a round
 * trip until the time Redis gave (an attacker hammering one key then costs no Redis call). Safe by construction: the
 * time Redis gives ("retry after") is the earliest a request of that many permits could pass, counted from when the
 * script read Redis's clock, which is after this instance sent the call; the memo counts it from before the call was
 * sent, so it never rejects a request that Redis would have allowed. Other instances can only consume, never give
 * back, so nothing they do makes the key pass sooner. A request for fewer permits than the rejected one goes to Redis
 * (it may fit sooner), unless the key is blocked. A rejection is remembered for at most {@code maxTime} even when
 * Redis's time is longer, which bounds what this instance cannot know: an operator deleting the key, Redis restarted
 * empty, a failover that lost the last writes. Bounded: past {@code maxKeys} keys, expired memos are dropped (at
 * most one sweep every 100 ms, so that a flood of distinct keys costs no sweep per request), and until there is room
 * no further key is remembered (it is decided in Redis, as without the memo).
 */
final class LocalRejections {

	/** Remember nothing. */
	static final LocalRejections NONE = new LocalRejections(0, Duration.ZERO);

	private final int maxKeys;

	private final long maxNanos;

	private static final long SWEEP_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

	private final Map<Remembered, Rejection> rejections = new ConcurrentHashMap<>();

	private final AtomicLong lastSweep = new AtomicLong(System.nanoTime() - SWEEP_INTERVAL_NANOS);

	/**
	 * A memo of at most this many keys.
	 * @param maxKeys the bound; 0 remembers nothing
	 * @param maxTime the longest a rejection is remembered
	 */
	LocalRejections(int maxKeys, Duration maxTime) {
		if (maxKeys < 0) {
			throw new IllegalArgumentException("maxKeys must not be negative, was " + maxKeys);
		}
		this.maxKeys = maxKeys;
		this.maxNanos = maxTime.toNanos();
	}

	/**
	 * The rejection remembered for this request, still in force.
	 * @param key the limited key
	 * @param limits its limits
	 * @param permits the request's cost
	 * @param now {@link System#nanoTime()}
	 * @return the rejection to answer with, or {@code null} to ask Redis
	 */
	@Nullable RateLimitResult rejection(String key, List<RateLimit> limits, long permits, long now) {
		if (this.maxKeys == 0 || this.rejections.isEmpty()) {
			return null;
		}
		Remembered remembered = new Remembered(key, limits);
		Rejection rejection = this.rejections.get(remembered);
		if (rejection == null) {
			return null;
		}
		if (now - rejection.rememberedUntil() >= 0) {
			this.rejections.remove(remembered, rejection);
			return null;
		}
		if (permits < rejection.permits() && rejection.result().decision() != RateLimitResult.Decision.BLOCKED) {
			return null;
		}
		RateLimitResult decided = rejection.result();
		return new RateLimitResult(false, decided.limit(), 0,
				Duration.ofNanos(Math.max(rejection.resetNanos() - now, 0)), Duration.ofNanos(rejection.untilNanos() - now),
				decided.decision(), decided.policy(), decided.window());
	}

	/**
	 * Remembers what Redis answered to a call sent at {@code sentAt}, when it was a rejection.
	 * @param key the limited key
	 * @param limits its limits
	 * @param permits the request's cost
	 * @param sentAt {@link System#nanoTime()} before the call was sent
	 * @param result Redis's decision
	 */
	void remember(String key, List<RateLimit> limits, long permits, long sentAt, RateLimitResult result) {
		if (this.maxKeys == 0 || result.allowed() || (result.decision() != RateLimitResult.Decision.REJECTED
				&& result.decision() != RateLimitResult.Decision.BLOCKED)) {
			return;
		}
		// A copy (none for an unmodifiable list such as List.of's): a key whose list the caller changes later would
		// change its hash inside the map, where it could never be found nor swept again.
		Remembered remembered = new Remembered(key, List.copyOf(limits));
		if (this.rejections.size() >= this.maxKeys && !this.rejections.containsKey(remembered)
				&& !dropExpired(sentAt)) {
			return;
		}
		long retryAfter = result.retryAfter().toNanos();
		this.rejections.put(remembered, new Rejection(sentAt + Math.min(retryAfter, this.maxNanos), sentAt + retryAfter,
				sentAt + result.resetAfter().toNanos(), permits, result));
	}

	int size() {
		return this.rejections.size();
	}

	/** Drops the memos that have expired, unless another sweep ran lately; whether there is room. */
	private boolean dropExpired(long now) {
		long last = this.lastSweep.get();
		if (now - last < SWEEP_INTERVAL_NANOS || !this.lastSweep.compareAndSet(last, now)) {
			return this.rejections.size() < this.maxKeys;
		}
		for (Iterator<Map.Entry<Remembered, Rejection>> entries = this.rejections.entrySet().iterator(); entries
			.hasNext();) {
			if (now - entries.next().getValue().rememberedUntil() >= 0) {
				entries.remove();
			}
		}
		return this.rejections.size() < this.maxKeys;
	}

	/** Which request: a key under a list of limits. */
	private record Remembered(String key, List<RateLimit> limits) {
	}

	/**
	 * A rejection answered locally until {@code rememberedUntil}, for requests of at least {@code permits}; Redis's
	 * retry-after and reset times, to answer with.
	 */
	private record Rejection(long rememberedUntil, long untilNanos, long resetNanos, long permits,
			RateLimitResult result) {
	}

}
