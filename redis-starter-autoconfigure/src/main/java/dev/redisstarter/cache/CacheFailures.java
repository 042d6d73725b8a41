package dev.redisstarter.cache;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.Masking;
import dev.redisstarter.core.web.UnavailableLog;

/**
 * What the cache does when Redis fails a call: counted, then thrown as {@link CacheUnavailableException} when
 * {@code fail-on-redis-down} is set, else logged at WARN at most once an interval and served without the cache.
 */
final class CacheFailures {

	/** The service's own logger name, which applications configure. */
	private static final Log logger = LogFactory.getLog(RedisCacheService.class);

	private final CacheSettings settings;

	private final CacheMetrics metrics;

	private final UnavailableLog redisDownLog = new UnavailableLog(logger);

	CacheFailures(CacheSettings settings, CacheMetrics metrics) {
		this.settings = settings;
		this.metrics = metrics;
	}

	void failed(String key, String cache, String operation, DataAccessException ex) {
		this.metrics.count(CacheMeter.REDIS_FAILURES, cache, operation);
		if (this.settings.failOnRedisDown()) {
			throw new CacheUnavailableException(key, ex);
		}
		// Once per call would be one line per request during an outage: the circuit logs the outage itself.
		this.redisDownLog.log("Cache " + operation + " of " + Masking.mask(key) + " failed, served without the cache: "
				+ ex.getMessage());
	}

}
