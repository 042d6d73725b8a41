package dev.redisstarter.autoconfigure;

import dev.redisstarter.ratelimit.RateLimitPolicies;

/**
 * Changes the named rate-limit policies in code, after they are built from
 * {@code redis.starter.ratelimit.policies.*}: a bean of this type is applied to the immutable settings the auto-
 * configuration builds, in {@code @Order} (or {@code Ordered}) order, each receiving what the one before returned.
 * Replacing the {@code RateLimitPolicies} bean instead turns these properties off altogether.
 * <pre>{@code
 * RateLimitPoliciesCustomizer customizer = policies -> policies.with("api", RateLimit.slidingWindow(100, Duration.ofMinutes(1)));
 * }</pre>
 */
@FunctionalInterface
public interface RateLimitPoliciesCustomizer {

	/**
	 * Changes the settings.
	 * @param settings the settings so far
	 * @return the settings to use (records are immutable: return a changed copy); never null
	 */
	RateLimitPolicies customize(RateLimitPolicies settings);

}
