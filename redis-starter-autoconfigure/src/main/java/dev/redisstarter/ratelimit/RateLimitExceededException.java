package dev.redisstarter.ratelimit;

import dev.redisstarter.core.Masking;

/**
 * A call was rejected by a rate limit. Carries the decision, so that a caller (or the web layer) can say
 * when to retry.
 */
public class RateLimitExceededException extends RuntimeException {

	private final transient RateLimitResult result;

	private final String key;

	/**
	 * A rejection.
	 * @param key the limited key
	 * @param result the decision
	 */
	public RateLimitExceededException(String key, RateLimitResult result) {
		super(message(key, result));
		this.key = key;
		this.result = result;
	}

	private static String message(String rawKey, RateLimitResult result) {
		String key = Masking.mask(rawKey);
		String limit = "'" + result.policy() + "' (" + result.limit() + " per " + result.window() + ")";
		return switch (result.decision()) {
			case EXCEEDS_CAPACITY -> "The request costs more than rate limit " + limit + " can ever allow for key "
					+ key;
			case BLOCKED -> "Key " + key + " is blocked by rate limit " + limit + " for " + result.retryAfter();
			case FAILED_CLOSED -> "Redis is unavailable and rate limit " + limit + " fails closed for key " + key;
			default -> "Rate limit " + limit + " exceeded for key " + key + "; retry after " + result.retryAfter();
		};
	}

	/**
	 * The decision.
	 * @return the rejected result
	 */
	public RateLimitResult getResult() {
		return this.result;
	}

	/**
	 * The limited key.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

}
