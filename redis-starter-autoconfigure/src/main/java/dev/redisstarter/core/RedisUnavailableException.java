package dev.redisstarter.core;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Redis is unavailable to a call: the shared base of every capability's "Redis unavailable" exception
 * ({@code CacheUnavailableException}, {@code LockUnavailableException}, {@code SessionStoreUnavailableException},
 * {@code LeaderboardUnavailableException}, {@code MessagingUnavailableException}, {@code StreamUnavailableException},
 * {@code JobQueueUnavailableException}), so that {@code catch (RedisUnavailableException ex)} catches all of them,
 * and thrown as it is when the starter refuses a call without touching the network (its circuit is open, or its
 * connection is down and reconnecting).
 * <p>
 * A {@link RedisConnectionFailureException}, so every capability's Redis-down policy, and any code that handles
 * Spring Data Redis connection failures, treats it like any other connection failure. The "HTTP answers" table of
 * docs/resilience.md lists how each subclass is answered in Spring MVC.
 */
public class RedisUnavailableException extends RedisConnectionFailureException {

	/**
	 * A refusal.
	 * @param message why, naming the capability
	 */
	public RedisUnavailableException(String message) {
		super(message);
	}

	/**
	 * A refusal caused by a connection failure.
	 * @param message why, naming the capability
	 * @param cause what the client reported
	 */
	public RedisUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
