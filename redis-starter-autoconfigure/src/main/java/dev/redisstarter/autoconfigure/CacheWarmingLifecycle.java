package dev.redisstarter.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.cache.CacheWarming;
import dev.redisstarter.cache.CacheWarmingException;
import dev.redisstarter.core.StarterThreads;

/**
 * Runs the {@link CacheWarmer} beans once, starting in the last lifecycle phase (after the web server and the
 * listeners have started). Blocking, by default: in a {@code SpringApplication} warming runs on a background thread
 * and start-up waits for it in an {@link ApplicationRunner} (the first), that is after the context has refreshed
 * ({@code LivenessState.CORRECT}: a liveness probe passes while the caches warm) and before
 * {@code ReadinessState.ACCEPTING_TRAFFIC}, as Spring Boot advises for start-up tasks; waiting in the lifecycle
 * itself would hold liveness at its start-up value, {@code BROKEN}, and a liveness probe could restart an instance
 * whose warming takes longer than the probe allows. In a context that no {@code SpringApplication} runs (no runners,
 * no availability events) the lifecycle itself waits. Otherwise warming runs on a background thread.
 */
final class CacheWarmingLifecycle implements SmartLifecycle, ApplicationRunner, Ordered {

	private final CacheWarming warming;

	private final List<CacheWarmer> warmers;

	private final boolean block;

	private final boolean failOnError;

	/** Whether a SpringApplication runs this context, so that its runners wait (see the class comment). */
	private final boolean waitInRunner;

	private volatile boolean running;

	private volatile @Nullable Thread background;

	private volatile CacheWarming.@Nullable Report report;

	private volatile @Nullable RuntimeException failure;

	CacheWarmingLifecycle(CacheWarming warming, List<CacheWarmer> warmers, boolean block, boolean failOnError,
			boolean waitInRunner) {
		this.warming = warming;
		this.warmers = List.copyOf(warmers);
		this.block = block;
		this.failOnError = failOnError;
		this.waitInRunner = waitInRunner;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.warmers.isEmpty()) {
			return;
		}
		if (!this.block || this.waitInRunner) {
			Thread thread = StarterThreads.background("cache-warming", () -> {
				try {
					this.report = this.warming.warm(this.warmers);
				}
				catch (RuntimeException ex) {
					// Rethrown by the runner (a bad warmer fails start-up as when the lifecycle waits itself).
					this.failure = ex;
					throw ex;
				}
			});
			this.background = thread;
			thread.start();
			return;
		}
		CacheWarming.Report done = this.warming.warm(this.warmers);
		this.report = done;
		failOnError(done);
	}

	/** Waits for warming started by {@link #start()}, when start-up waits for it in a runner. */
	@Override
	public void run(ApplicationArguments args) {
		Thread thread = this.background;
		if (!this.block || !this.waitInRunner || thread == null) {
			return;
		}
		try {
			// Bounded: warming ends within its time budget, or when the context stops (which interrupts it).
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		RuntimeException failed = this.failure;
		if (failed != null) {
			throw failed;
		}
		CacheWarming.Report done = this.report;
		if (done != null) {
			failOnError(done);
		}
	}

	private void failOnError(CacheWarming.Report done) {
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

	/** The first runner: the application's own runners find the caches warm. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
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
