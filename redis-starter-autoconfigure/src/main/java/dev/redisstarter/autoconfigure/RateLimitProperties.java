package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redisstarter.ratelimit.RateLimitedAdvisor;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.ratelimit.Algorithm;
import dev.redisstarter.ratelimit.web.HeaderStyle;

/**
 * Rate-limit settings, under {@code redis.starter.ratelimit}.
 */
public class RateLimitProperties {

	/**
	 * Whether rate limiting is enabled.
	 */
	private boolean enabled = true;

	/**
	 * How long each decision waits for Redis before the limit's failure mode applies (fail open or closed); independent of spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(250);

	/**
	 * Order of the @RateLimited advisor: by default the outermost of the starter's, so a rejected call takes no lock and opens no transaction.
	 */
	private int advisorOrder = RateLimitedAdvisor.DEFAULT_ORDER;

	/**
	 * Rejections answered without a Redis call.
	 */
	private final LocalRejections localRejections = new LocalRejections();

	/**
	 * Named policies, used by @RateLimited(policy = ...) and by HTTP rules.
	 */
	private final Map<String, Policy> policies = new LinkedHashMap<>();

	/**
	 * Spring MVC integration.
	 */
	private final Http http = new Http();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}


	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = RedisStarterProperties.positive("redis.starter.ratelimit.timeout", timeout);
	}
	public LocalRejections getLocalRejections() {
		return this.localRejections;
	}

	public int getAdvisorOrder() {
		return this.advisorOrder;
	}

	public void setAdvisorOrder(int advisorOrder) {
		this.advisorOrder = advisorOrder;
	}

	public Map<String, Policy> getPolicies() {
		return this.policies;
	}

	public Http getHttp() {
		return this.http;
	}

	/**
	 * One limit: its algorithm and parameters.
	 */
	public static class Limit {

		/**
		 * Name of this limit within a policy of several limits.
		 */
		private @Nullable String name;

		/**
		 * Algorithm: fixed-window, sliding-log, sliding-window, token-bucket or gcra.
		 */
		private @Nullable Algorithm algorithm;

		/**
		 * Requests allowed per window (fixed-window, sliding-log, sliding-window, gcra).
		 */
		private @Nullable Long limit;

		/**
		 * The window; for token-bucket, the period in which 'refill' tokens are added.
		 */
		private @Nullable Duration window;

		/**
		 * Token-bucket: the most tokens the bucket holds (defaults to 'limit').
		 */
		private @Nullable Long capacity;

		/**
		 * Token-bucket: tokens added per window (defaults to the capacity); fractions allowed.
		 */
		private @Nullable Double refill;

		/**
		 * Gcra: requests allowed at once (defaults to 'limit').
		 */
		private @Nullable Long burst;

		/**
		 * How long a key stays blocked after a rejection; unset for no block.
		 */
		private @Nullable Duration blockDuration;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable Algorithm getAlgorithm() {
			return this.algorithm;
		}

		public void setAlgorithm(@Nullable Algorithm algorithm) {
			this.algorithm = algorithm;
		}

		public @Nullable Long getLimit() {
			return this.limit;
		}

		public void setLimit(@Nullable Long limit) {
			this.limit = limit;
		}

		public @Nullable Duration getWindow() {
			return this.window;
		}

		public void setWindow(@Nullable Duration window) {
			this.window = window;
		}

		public @Nullable Long getCapacity() {
			return this.capacity;
		}

		public void setCapacity(@Nullable Long capacity) {
			this.capacity = capacity;
		}

		public @Nullable Double getRefill() {
			return this.refill;
		}

		public void setRefill(@Nullable Double refill) {
			this.refill = refill;
		}

		public @Nullable Long getBurst() {
			return this.burst;
		}

		public void setBurst(@Nullable Long burst) {
			this.burst = burst;
		}

		public @Nullable Duration getBlockDuration() {
			return this.blockDuration;
		}

		public void setBlockDuration(@Nullable Duration blockDuration) {
			this.blockDuration = blockDuration;
		}

	}

	/**
	 * A named policy: the fields of one limit, or a list of 'limits' checked together.
	 */
	public static class Policy extends Limit {

		/**
		 * Whether requests are allowed (true) or rejected (false) while Redis cannot be reached.
		 */
		private boolean failOpen = true;

		/**
		 * Several limits checked together, all or nothing (instead of the fields of one limit).
		 */
		private final List<Limit> limits = new ArrayList<>();

		public boolean isFailOpen() {
			return this.failOpen;
		}

		public void setFailOpen(boolean failOpen) {
			this.failOpen = failOpen;
		}

		public List<Limit> getLimits() {
			return this.limits;
		}

	}

	/**
	 * Spring MVC integration.
	 */
	public static class Http {

		/**
		 * Whether limited controller responses get 429 answers and rate-limit header fields, and rules apply.
		 */
		private boolean enabled = true;

		/**
		 * Which rate-limit header fields responses carry: ietf, legacy (X-RateLimit-*), both or none.
		 */
		private HeaderStyle headers = HeaderStyle.IETF;

		/**
		 * Addresses or CIDR blocks of proxies whose X-Forwarded-For is believed; empty to ignore the header.
		 */
		private List<String> trustedProxies = new ArrayList<>();

		/**
		 * How many leading bits of a client's IPv6 address make its rate-limit key: 64 groups a subscriber's /64
		 * (each can pick any address in it), 128 keeps every address apart.
		 */
		private int ipv6PrefixLength = 64;

		/**
		 * Order of the rule filter among the servlet filters: by default before Spring Security's (-100), so rules
		 * can limit its login and HTTP Basic handling; 0 (after Security) for rules keyed by principal.
		 */
		private int filterOrder = -110;

		/**
		 * Limits applied to requests by path and method, without code.
		 */
		private final List<Rule> rules = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public HeaderStyle getHeaders() {
			return this.headers;
		}

		public void setHeaders(HeaderStyle headers) {
			this.headers = headers;
		}

		public List<String> getTrustedProxies() {
			return this.trustedProxies;
		}

		public void setTrustedProxies(List<String> trustedProxies) {
			this.trustedProxies = trustedProxies;
		}

		public int getFilterOrder() {
			return this.filterOrder;
		}

		public void setFilterOrder(int filterOrder) {
			this.filterOrder = filterOrder;
		}

		public int getIpv6PrefixLength() {
			return this.ipv6PrefixLength;
		}

		public void setIpv6PrefixLength(int ipv6PrefixLength) {
			if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
				throw new InvalidPropertyException("redis.starter.ratelimit.http.ipv6-prefix-length", ipv6PrefixLength,
						"from 1 to 128");
			}
			this.ipv6PrefixLength = ipv6PrefixLength;
		}

		public List<Rule> getRules() {
			return this.rules;
		}

	}

	/**
	 * A rule: requests matching the paths and methods are limited by the policy.
	 */
	public static class Rule {

		/**
		 * Path patterns, such as /api/**.
		 */
		private List<String> paths = new ArrayList<>();

		/**
		 * HTTP methods; empty for all.
		 */
		private List<String> methods = new ArrayList<>();

		/**
		 * Name of the policy to apply.
		 */
		private @Nullable String policy;

		/**
		 * What to limit by: client-address, principal, or header:<Name>.
		 */
		private String key = "client-address";

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

		public @Nullable String getPolicy() {
			return this.policy;
		}

		public void setPolicy(@Nullable String policy) {
			this.policy = policy;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

	}

	/**
	 * Rejections remembered by each instance: further requests on a rejected key are rejected without a Redis call
	 * until the retry-after time Redis gave, never later, so that a remembered rejection never rejects a request Redis
	 * would allow (other instances can only use up the limit, not give it back).
	 */
	public static class LocalRejections {

		/**
		 * How many rejected keys each instance remembers; 0 turns local rejections off.
		 */
		private int maxKeys = 10_000;

		/**
		 * The longest a rejection is remembered, even when Redis's retry-after is longer: bounds what an instance cannot see (an operator deleting the key, Redis restarted empty).
		 */
		private Duration maxTime = Duration.ofSeconds(1);

		public int getMaxKeys() {
			return this.maxKeys;
		}

		public void setMaxKeys(int maxKeys) {
			if (maxKeys < 0) {
				throw new InvalidPropertyException("redis.starter.ratelimit.local-rejections.max-keys", maxKeys,
						"0 (off) or more keys");
			}
			this.maxKeys = maxKeys;
		}

		public Duration getMaxTime() {
			return this.maxTime;
		}

		public void setMaxTime(Duration maxTime) {
			this.maxTime = RedisStarterProperties.positive("redis.starter.ratelimit.local-rejections.max-time", maxTime);
		}

	}

}
