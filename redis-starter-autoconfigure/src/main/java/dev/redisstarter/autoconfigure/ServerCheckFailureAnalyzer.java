package dev.redisstarter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.redisstarter.core.ServerCheckFailedException;

/**
 * Explains a start-up refused by the server checks ({@code redis.starter.resilience.eviction-policy-check=fail}).
 */
class ServerCheckFailureAnalyzer extends AbstractFailureAnalyzer<ServerCheckFailedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ServerCheckFailedException cause) {
		return new FailureAnalysis("Redis fails the starter's server checks:\n\n    "
				+ String.join("\n    ", cause.getProblems()),
				"Set maxmemory-policy to noeviction (or use a separate Redis for caching), upgrade Redis, grant the"
						+ " application's Redis user +config|get when the policy is unknown, or set"
						+ " redis.starter.resilience.eviction-policy-check to warn.",
				cause);
	}

}
