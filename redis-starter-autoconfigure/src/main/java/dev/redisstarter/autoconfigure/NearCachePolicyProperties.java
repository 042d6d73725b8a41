package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import dev.redisstarter.cache.NearCachePolicy;

/**
 * One cache's near cache, under {@code redis.starter.cache.caches.<name>.near}. Unset fields take those under
 * {@code redis.starter.cache.near}.
 */
public class NearCachePolicyProperties {

	/**
	 * Whether this cache keeps a local tier in front of Redis (near cache).
	 */
	private @Nullable Boolean enabled;

	/**
	 * How many entries this cache's local tier holds at most (when max-memory is not set).
	 */
	private @Nullable Long maxEntries;

	/**
	 * How much memory this cache's local tier holds at most; replaces max-entries when set.
	 */
	private @Nullable DataSize maxMemory;

	/**
	 * How long a local copy of this cache is served at most, however long it lives in Redis.
	 */
	private @Nullable Duration maxTime;

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Long getMaxEntries() {
		return this.maxEntries;
	}

	public void setMaxEntries(@Nullable Long maxEntries) {
		this.maxEntries = (maxEntries != null)
				? NearCacheProperties.entries("redis.starter.cache.caches.*.near.max-entries", maxEntries) : null;
	}

	public @Nullable DataSize getMaxMemory() {
		return this.maxMemory;
	}

	public void setMaxMemory(@Nullable DataSize maxMemory) {
		this.maxMemory = (maxMemory != null)
				? NearCacheProperties.memory("redis.starter.cache.caches.*.near.max-memory", maxMemory) : null;
	}

	public @Nullable Duration getMaxTime() {
		return this.maxTime;
	}

	public void setMaxTime(@Nullable Duration maxTime) {
		this.maxTime = (maxTime != null) ? RedisStarterProperties.positive("redis.starter.cache.caches.*.near.max-time",
				maxTime) : null;
	}

	/** This cache's near cache: its own settings over the defaults. A bound by memory set here replaces one by entries. */
	NearCachePolicy over(NearCachePolicy defaults) {
		long maxBytes = (this.maxMemory != null) ? this.maxMemory.toBytes()
				: (this.maxEntries != null) ? 0 : defaults.maxBytes();
		return new NearCachePolicy((this.enabled != null) ? this.enabled : defaults.enabled(),
				(this.maxEntries != null) ? this.maxEntries : defaults.maxEntries(), maxBytes,
				(this.maxTime != null) ? this.maxTime : defaults.maxTime());
	}

}
