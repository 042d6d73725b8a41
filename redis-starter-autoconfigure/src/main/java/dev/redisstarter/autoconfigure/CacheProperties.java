package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redisstarter.cache.CacheAnnotationAdvisor;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Cache settings, under {@code redis.starter.cache}.
 */
public class CacheProperties {

	/**
	 * Whether the cache service is enabled.
	 */
	private boolean enabled = true;

	/**
	 * How long each cache call waits for Redis before the Redis-down policy applies (serve from the loader, or fail when fail-on-redis-down); independent of spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(300);

	/**
	 * Order of the @TaggedCacheable/@EvictTags advisor: by default outside any @Transactional of default order, so a hit opens no transaction; evictions wait for the commit of an active transaction in any case.
	 */
	private int advisorOrder = CacheAnnotationAdvisor.DEFAULT_ORDER;

	/**
	 * Time to live of entries whose code asks for none (@TaggedCacheable without ttl, the Spring Cache bridge).
	 */
	private Duration defaultTtl = Duration.ofMinutes(10);

	/**
	 * Whether hits may reload an entry shortly before it expires (probabilistic early refresh, XFetch).
	 */
	private boolean earlyRefresh;

	/**
	 * How eagerly entries are refreshed early: 1 is the optimum of the XFetch paper, above 1 is earlier.
	 */
	private double earlyRefreshBeta = 1.0;

	/**
	 * Whether tag versions are kept in memory and kept fresh by pub/sub, so that a tagged hit is one round trip.
	 */
	private boolean localTagVersions = true;

	/**
	 * The near cache (a local tier in front of Redis) of every cache without settings of its own.
	 */
	@NestedConfigurationProperty
	private final NearCacheProperties near = new NearCacheProperties();

	public NearCacheProperties getNear() {
		return this.near;
	}

	/**
	 * Per-cache settings, by cache name (the part of a key before its first ':'); unset fields take the defaults.
	 */
	private final Map<String, CachePolicyProperties> caches = new LinkedHashMap<>();

	/**
	 * The Spring Cache bridge.
	 */
	@NestedConfigurationProperty
	private final SpringCache springCache = new SpringCache();

	/**
	 * Cache warming at start-up (CacheWarmer beans).
	 */
	@NestedConfigurationProperty
	private final Warming warming = new Warming();

	/**
	 * How long a loader's null is cached as absent.
	 */
	private Duration nullTtl = Duration.ofMinutes(1);

	/**
	 * Spreads every time to live by up to this fraction either way (0 to 0.5).
	 */
	private double ttlJitter = 0.1;

	/**
	 * How long a loader may hold the cross-instance load lock for a key.
	 */
	private Duration loadTimeout = Duration.ofSeconds(10);

	/**
	 * How long a caller that missed waits for another instance's load before loading itself.
	 */
	private Duration waitTimeout = Duration.ofSeconds(5);

	/**
	 * Whether a Redis failure is thrown instead of answered by calling the loader.
	 */
	private boolean failOnRedisDown;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public SpringCache getSpringCache() {
		return this.springCache;
	}

	public Warming getWarming() {
		return this.warming;
	}


	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = RedisStarterProperties.positive("redis.starter.cache.timeout", timeout);
	}
	public int getAdvisorOrder() {
		return this.advisorOrder;
	}

	public void setAdvisorOrder(int advisorOrder) {
		this.advisorOrder = advisorOrder;
	}

	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	public void setDefaultTtl(Duration defaultTtl) {
		this.defaultTtl = RedisStarterProperties.positive("redis.starter.cache.default-ttl", defaultTtl);
	}

	public boolean isEarlyRefresh() {
		return this.earlyRefresh;
	}

	public void setEarlyRefresh(boolean earlyRefresh) {
		this.earlyRefresh = earlyRefresh;
	}

	public double getEarlyRefreshBeta() {
		return this.earlyRefreshBeta;
	}

	public void setEarlyRefreshBeta(double earlyRefreshBeta) {
		this.earlyRefreshBeta = CachePolicyProperties.beta("redis.starter.cache.early-refresh-beta", earlyRefreshBeta);
	}

	public boolean isLocalTagVersions() {
		return this.localTagVersions;
	}

	public void setLocalTagVersions(boolean localTagVersions) {
		this.localTagVersions = localTagVersions;
	}

	public Map<String, CachePolicyProperties> getCaches() {
		return this.caches;
	}

	public Duration getNullTtl() {
		return this.nullTtl;
	}

	public void setNullTtl(Duration nullTtl) {
		this.nullTtl = RedisStarterProperties.positive("redis.starter.cache.null-ttl", nullTtl);
	}

	public double getTtlJitter() {
		return this.ttlJitter;
	}

	public void setTtlJitter(double ttlJitter) {
		if (!(ttlJitter >= 0 && ttlJitter <= 0.5)) {
			throw new InvalidPropertyException("redis.starter.cache.ttl-jitter", ttlJitter, "between 0 and 0.5");
		}
		this.ttlJitter = ttlJitter;
	}

	public Duration getLoadTimeout() {
		return this.loadTimeout;
	}

	public void setLoadTimeout(Duration loadTimeout) {
		this.loadTimeout = RedisStarterProperties.positive("redis.starter.cache.load-timeout", loadTimeout);
	}

	public Duration getWaitTimeout() {
		return this.waitTimeout;
	}

	public void setWaitTimeout(Duration waitTimeout) {
		if (waitTimeout == null || waitTimeout.isNegative()) {
			throw new InvalidPropertyException("redis.starter.cache.wait-timeout", waitTimeout, "zero or a positive duration");
		}
		this.waitTimeout = waitTimeout;
	}

	public boolean isFailOnRedisDown() {
		return this.failOnRedisDown;
	}

	public void setFailOnRedisDown(boolean failOnRedisDown) {
		this.failOnRedisDown = failOnRedisDown;
	}

	/**
	 * The Spring Cache bridge, under {@code redis.starter.cache.spring-cache}.
	 */
	public static class SpringCache {

		/**
		 * Whether plain @Cacheable, @CachePut and @CacheEvict go through the starter's cache (a CacheManager).
		 */
		private boolean enabled;

		/**
		 * Packages (with subpackages) whose classes cached values may be read back as, besides the JDK's value
		 * types; the application's own packages are always allowed.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

	}

	/**
	 * Cache warming, under {@code redis.starter.cache.warming}.
	 */
	public static class Warming {

		/**
		 * Whether CacheWarmer beans run at start-up.
		 */
		private boolean enabled = true;

		/**
		 * Whether start-up waits for warming (within the timeout), so that readiness stays REFUSING_TRAFFIC until the caches are warm; when false, warming runs in the background.
		 */
		private boolean blockReadiness = true;

		/**
		 * How many loads run at once, across all warmers.
		 */
		private int concurrency = 4;

		/**
		 * Time budget of warming as a whole; past it, what is left is abandoned, logged, and start-up proceeds.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * Whether a warmer that throws stops start-up (only while block-readiness is true); otherwise it is logged and counted.
		 */
		private boolean failOnError;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isBlockReadiness() {
			return this.blockReadiness;
		}

		public void setBlockReadiness(boolean blockReadiness) {
			this.blockReadiness = blockReadiness;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			if (concurrency < 1) {
				throw new InvalidPropertyException("redis.starter.cache.warming.concurrency", concurrency, "at least 1");
			}
			this.concurrency = concurrency;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = RedisStarterProperties.positive("redis.starter.cache.warming.timeout", timeout);
		}

		public boolean isFailOnError() {
			return this.failOnError;
		}

		public void setFailOnError(boolean failOnError) {
			this.failOnError = failOnError;
		}

	}

}
