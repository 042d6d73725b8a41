package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.redisstarter.cache.CachePolicy;

/**
 * One cache's settings, under {@code redis.starter.cache.caches.<name>}. Unset fields take the defaults under
 * {@code redis.starter.cache}.
 */
public class CachePolicyProperties {

	/**
	 * Time to live of this cache's entries; wins over the one an annotation asks for.
	 */
	private @Nullable Duration ttl;

	/**
	 * How long a loader's null is cached as absent in this cache.
	 */
	private @Nullable Duration nullTtl;

	/**
	 * Spreads this cache's times to live by up to this fraction either way (0 to 0.5).
	 */
	private @Nullable Double ttlJitter;

	/**
	 * Whether hits may reload this cache's entries shortly before they expire.
	 */
	private @Nullable Boolean earlyRefresh;

	/**
	 * How eagerly this cache's entries are refreshed early (1 is the XFetch optimum).
	 */
	private @Nullable Double earlyRefreshBeta;

	/**
	 * This cache's near cache (a local tier in front of Redis).
	 */
	@NestedConfigurationProperty
	private final NearCachePolicyProperties near = new NearCachePolicyProperties();

	/**
	 * This cache's write-behind (writes persisted later, in batches, by a WriteBehindWriter bean).
	 */
	@NestedConfigurationProperty
	private final WriteBehindProperties writeBehind = new WriteBehindProperties();

	public NearCachePolicyProperties getNear() {
		return this.near;
	}

	public WriteBehindProperties getWriteBehind() {
		return this.writeBehind;
	}

	public @Nullable Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(@Nullable Duration ttl) {
		this.ttl = (ttl != null) ? RedisStarterProperties.positive("redis.starter.cache.caches.*.ttl", ttl) : null;
	}

	public @Nullable Duration getNullTtl() {
		return this.nullTtl;
	}

	public void setNullTtl(@Nullable Duration nullTtl) {
		this.nullTtl = (nullTtl != null) ? RedisStarterProperties.positive("redis.starter.cache.caches.*.null-ttl", nullTtl)
				: null;
	}

	public @Nullable Double getTtlJitter() {
		return this.ttlJitter;
	}

	public void setTtlJitter(@Nullable Double ttlJitter) {
		if (ttlJitter != null && !(ttlJitter >= 0 && ttlJitter <= 0.5)) {
			throw new InvalidPropertyException("redis.starter.cache.caches.*.ttl-jitter", ttlJitter, "between 0 and 0.5");
		}
		this.ttlJitter = ttlJitter;
	}

	public @Nullable Boolean getEarlyRefresh() {
		return this.earlyRefresh;
	}

	public void setEarlyRefresh(@Nullable Boolean earlyRefresh) {
		this.earlyRefresh = earlyRefresh;
	}

	public @Nullable Double getEarlyRefreshBeta() {
		return this.earlyRefreshBeta;
	}

	public void setEarlyRefreshBeta(@Nullable Double earlyRefreshBeta) {
		this.earlyRefreshBeta = (earlyRefreshBeta != null)
				? beta("redis.starter.cache.caches.*.early-refresh-beta", earlyRefreshBeta) : null;
	}

	/** This cache's policy: its own settings over the defaults, its ttl left {@code null} when not set. */
	CachePolicy over(CachePolicy defaults) {
		return new CachePolicy(this.ttl, (this.nullTtl != null) ? this.nullTtl : defaults.nullTtl(),
				(this.ttlJitter != null) ? this.ttlJitter : defaults.ttlJitter(),
				(this.earlyRefresh != null) ? this.earlyRefresh : defaults.earlyRefresh(),
				(this.earlyRefreshBeta != null) ? this.earlyRefreshBeta : defaults.earlyRefreshBeta(),
				this.near.over(defaults.near()));
	}

	static double beta(String property, double beta) {
		if (!(beta > 0 && beta <= 100)) {
			throw new InvalidPropertyException(property, beta, "above 0 and at most 100");
		}
		return beta;
	}

}
