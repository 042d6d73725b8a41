package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redisstarter.ratelimit.Algorithm;
import dev.redisstarter.ratelimit.FailureMode;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitPolicies;

/**
 * Turns {@code redis.starter.ratelimit.policies} into {@link RateLimitPolicies}, with messages that name the
 * policy and the property at fault.
 */
final class RateLimitPolicyFactory {

	private static final String PREFIX = "redis.starter.ratelimit.policies.";

	private RateLimitPolicyFactory() {
	}

	static RateLimitPolicies policies(Map<String, RateLimitProperties.Policy> properties) {
		Map<String, List<RateLimit>> policies = new LinkedHashMap<>();
		properties.forEach((name, policy) -> policies.put(name, limits(name, policy)));
		return new RateLimitPolicies(policies);
	}

	private static List<RateLimit> limits(String name, RateLimitProperties.Policy policy) {
		String prefix = PREFIX + name;
		if (!policy.getLimits().isEmpty() && policy.getAlgorithm() != null) {
			throw new InvalidPropertyException(prefix,
					"set either the fields of one limit or 'limits' with several, not both");
		}
		List<RateLimit> limits = new ArrayList<>();
		if (policy.getLimits().isEmpty()) {
			limits.add(limit(prefix, name, policy));
		}
		else {
			for (int i = 0; i < policy.getLimits().size(); i++) {
				RateLimitProperties.Limit limit = policy.getLimits().get(i);
				String limitName = name + ":" + ((limit.getName() != null) ? limit.getName() : Integer.toString(i));
				limits.add(limit(prefix + ".limits[" + i + "]", limitName, limit));
			}
		}
		FailureMode mode = policy.isFailOpen() ? FailureMode.FAIL_OPEN : FailureMode.FAIL_CLOSED;
		return limits.stream().map((limit) -> limit.withFailureMode(mode)).toList();
	}

	private static RateLimit limit(String prefix, String name, RateLimitProperties.Limit properties) {
		Algorithm algorithm = required(prefix + ".algorithm", properties.getAlgorithm());
		Duration window = required(prefix + ".window", properties.getWindow());
		if (window.isNegative() || window.isZero()) {
			throw new InvalidPropertyException(prefix + ".window", window, "a positive duration");
		}
		try {
			RateLimit limit = switch (algorithm) {
				case FIXED_WINDOW -> RateLimit.fixedWindow(required(prefix + ".limit", properties.getLimit()), window);
				case SLIDING_LOG -> RateLimit.slidingLog(required(prefix + ".limit", properties.getLimit()), window);
				case SLIDING_WINDOW -> RateLimit.slidingWindow(required(prefix + ".limit", properties.getLimit()), window);
				case TOKEN_BUCKET -> {
					Long capacity = (properties.getCapacity() != null) ? properties.getCapacity() : properties.getLimit();
					long tokens = required(prefix + ".capacity", capacity);
					double refill = (properties.getRefill() != null) ? properties.getRefill() : tokens;
					if (!(refill > 0)) {
						throw new InvalidPropertyException(prefix + ".refill", refill, "positive");
					}
					yield RateLimit.tokenBucket(tokens, refill, window);
				}
				case GCRA -> {
					long requests = required(prefix + ".limit", properties.getLimit());
					yield RateLimit.gcra(requests, window, (properties.getBurst() != null) ? properties.getBurst() : requests);
				}
			};
			limit = limit.withName(name);
			if (properties.getBlockDuration() != null) {
				limit = limit.withBlockDuration(properties.getBlockDuration());
			}
			return limit;
		}
		catch (IllegalArgumentException ex) {
			if (ex instanceof InvalidPropertyException) {
				throw ex;
			}
			throw new InvalidPropertyException(prefix, ex.getMessage());
		}
	}

	private static <T> T required(String property, T value) {
		if (value == null) {
			throw new InvalidPropertyException(property, "it is required");
		}
		return value;
	}

}
