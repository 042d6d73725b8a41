package dev.redisstarter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.redisstarter.cache.CacheWarmingException;

/**
 * Turns a failed cache warming (with {@code redis.starter.cache.warming.fail-on-error=true}) into Spring Boot's
 * "APPLICATION FAILED TO START" block: which caches failed and why, and the two ways out.
 */
class CacheWarmingFailureAnalyzer extends AbstractFailureAnalyzer<CacheWarmingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, CacheWarmingException cause) {
		return new FailureAnalysis(cause.getMessage(), "Fix the warmer (its stack trace is logged at WARN above), or set"
				+ " redis.starter.cache.warming.fail-on-error=false to start with the cache partly warm.", cause);
	}

}
