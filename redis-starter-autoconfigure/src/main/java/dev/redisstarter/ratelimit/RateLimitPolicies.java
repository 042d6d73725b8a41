package dev.redisstarter.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named policies: each a list of limits checked together (one limit for most policies).
 *
 * @param policies limits by policy name
 */
public record RateLimitPolicies(Map<String, List<RateLimit>> policies) {

	/**
	 * Copies and checks the policies.
	 * @param policies limits by policy name
	 */
	public RateLimitPolicies {
		Map<String, List<RateLimit>> copy = new TreeMap<>();
		policies.forEach((name, limits) -> {
			if (limits.isEmpty()) {
				throw new IllegalArgumentException("Rate-limit policy '" + name + "' has no limits");
			}
			copy.put(name, List.copyOf(limits));
		});
		policies = Map.copyOf(copy);
	}

	/**
	 * A policy's limits.
	 * @param name the policy name
	 * @return its limits
	 * @throws IllegalArgumentException naming the known policies, when there is no such policy
	 */
	public List<RateLimit> get(String name) {
		List<RateLimit> limits = this.policies.get(name);
		if (limits == null) {
			throw new IllegalArgumentException("No rate-limit policy named '" + name + "' (configured: "
					+ new TreeMap<>(this.policies).keySet() + "); add it under redis.starter.ratelimit.policies");
		}
		return limits;
	}

	/**
	 * A copy with one policy added or replaced, for customizers.
	 * @param name the policy name
	 * @param limits its limits, checked together
	 * @return the copy
	 */
	public RateLimitPolicies with(String name, RateLimit... limits) {
		Map<String, List<RateLimit>> policies = new TreeMap<>(this.policies);
		policies.put(name, List.of(limits));
		return new RateLimitPolicies(policies);
	}

}
