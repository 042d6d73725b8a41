package dev.redisstarter.cache;

/**
 * Cache warming failed and {@code redis.starter.cache.warming.fail-on-error} is set: start-up stops.
 */
public class CacheWarmingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message which warmers failed, and why
	 */
	public CacheWarmingException(String message) {
		super(message);
	}

}
