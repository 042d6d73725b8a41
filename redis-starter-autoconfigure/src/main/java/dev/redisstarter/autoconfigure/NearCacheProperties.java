package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import dev.redisstarter.cache.NearCachePolicy;

/**
 * The near cache of every cache without settings of its own, under {@code redis.starter.cache.near}.
 */
public class NearCacheProperties {

	/**
	 * Whether caches keep a local tier in front of Redis (near cache), dropped on every instance when any instance writes through the starter.
	 */
	private boolean enabled;

	/**
	 * How many entries a cache's local tier holds at most (when max-memory is not set).
	 */
	private long maxEntries = 10_000;

	/**
	 * How much memory a cache's local tier holds at most, counted by stored value sizes plus a fixed overhead per entry; replaces max-entries when set.
	 */
	private @Nullable DataSize maxMemory;

	/**
	 * How long a local copy is served at most, however long it lives in Redis: the bound on writes that bypass the starter and entries evicted by Redis.
	 */
	private Duration maxTime = Duration.ofMinutes(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public long getMaxEntries() {
		return this.maxEntries;
	}

	public void setMaxEntries(long maxEntries) {
		this.maxEntries = entries("redis.starter.cache.near.max-entries", maxEntries);
	}

	public @Nullable DataSize getMaxMemory() {
		return this.maxMemory;
	}

	public void setMaxMemory(@Nullable DataSize maxMemory) {
		this.maxMemory = (maxMemory != null) ? memory("redis.starter.cache.near.max-memory", maxMemory) : null;
	}

	public Duration getMaxTime() {
		return this.maxTime;
	}

	public void setMaxTime(Duration maxTime) {
		this.maxTime = RedisStarterProperties.positive("redis.starter.cache.near.max-time", maxTime);
	}

	NearCachePolicy policy() {
		return new NearCachePolicy(this.enabled, this.maxEntries, (this.maxMemory != null) ? this.maxMemory.toBytes() : 0,
				this.maxTime);
	}

	static long entries(String property, long entries) {
		if (entries < 1) {
			throw new InvalidPropertyException(property, entries, "at least 1");
		}
		return entries;
	}

	static DataSize memory(String property, DataSize memory) {
		if (memory.toBytes() < 1) {
			throw new InvalidPropertyException(property, memory, "at least 1B");
		}
		return memory;
	}

}
