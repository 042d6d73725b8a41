package dev.redisstarter.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.cache.CacheWarming;
import dev.redisstarter.cache.CacheWarmingException;
import dev.redisstarter.core.StarterThreads;

/**
 * Runs the {@link CacheWarmer} beans once, in the last lifecycle phase (after the web server and the listeners have
 * started). Blocking, by default: Spring Boot publishes {@code ReadinessState.ACCEPTING_TRAFFIC} only once the
 * context has refreshed, so readiness stays {@code REFUSING_TRAFFIC} (and liveness is answered) while the caches
 * warm, at most for the warming's time budget. Otherwise warming runs on a background thread.
 */
final class CacheWarmingLifecycle implements SmartLifecycle {

	private final CacheWarming warming;

	private final List<CacheWarmer> warmers;

	private final boolean block;

	private final boolean failOnError;

	private volatile boolean running;

	private volatile @Nullable Thread background;

	private volatile CacheWarming.@Nullable Report report;

	CacheWarmingLifecycle(CacheWarming warming, List<CacheWarmer> warmers, boolean block, boolean failOnError) {
		this.warming = warming;
		this.warmers = List.copyOf(warmers);
		this.block = block;
		this.failOnError = failOnError;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.warmers.isEmpty()) {
			return;
		}
		if (!this.block) {
			Thread thread = StarterThreads.background("cache-warming", () -> this.report = this.warming.warm(this.warmers));
			this.background = thread;
			thread.start();
			return;
		}
		CacheWarming.Report done = this.warming.warm(this.warmers);
		this.report = done;
		if (this.failOnError && done.failed()) {
			throw new CacheWarmingException("Cache warming failed for "
					+ done.results()
						.stream()
						.filter((result) -> result.outcome() == CacheWarming.Outcome.FAILED)
						.map((result) -> "cache '" + result.cache() + "' (" + result.failed() + " failed: " + result.error()
								+ ")")
						.collect(Collectors.joining(", "))
					+ "; fix the warmer, or set redis.starter.cache.warming.fail-on-error=false to start anyway");
		}
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.background;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Last, so that warming starts once everything else runs and blocks nothing but readiness. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/**
	 * What the last warming did.
	 * @return its report, or {@code null} before it ended
	 */
	CacheWarming.@Nullable Report report() {
		return this.report;
	}

}
