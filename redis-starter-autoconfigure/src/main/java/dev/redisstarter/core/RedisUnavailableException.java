package dev.redisstarter.core;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * A call refused without touching the network: the starter's circuit is open (Redis failed repeatedly and has
 * not answered a probe since), or its connection is down and reconnecting. A {@link RedisConnectionFailureException},
 * so every capability's Redis-down policy treats it like any other connection failure.
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
