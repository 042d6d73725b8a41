package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.StarterThreads;

/**
 * Runs {@link CacheWarmer}s once: their keys and loads on {@code concurrency} threads (so at most that many loads run
 * at a time, across all warmers), each entry written by {@link CacheService#set} with its cache's time to live
 * ({@link CacheSettings#ttl}), all within a time budget. Past the budget the threads are interrupted, what is left is
 * abandoned, and the report says so; a load that ignores the interrupt keeps its (daemon) thread until it returns,
 * and then writes nothing. A Redis failure during a write follows the cache's own policy (bounded by the
 * cache's timeout, answered at once while the circuit is open); a loader that throws (any {@link Throwable}) fails its entry, not the run.
 * <p>
 * Progress is logged at INFO (one line per warmer: entries written and time), failures and the budget at WARN, and
 * counted by {@link CacheMeter#WARMED}.
 */
public final class CacheWarming {

	private static final Log logger = LogFactory.getLog(CacheWarming.class);

	private final CacheService cache;

	private final CacheSettings cacheSettings;

	private final CacheMetrics metrics;

	private final Settings settings;

	/** The Spring Cache bridge, when on: warmed entries then record their type, as its caches need to read them. */
	private final @Nullable RedisStarterCacheManager springCache;

	/** Makes the loaders' threads (virtual when handlers are) and decorates each load, as for any handler. */
	private final StarterThreads threads;

	/**
	 * @param cache where entries are written
	 * @param cacheSettings the caches' time to live
	 * @param metrics the meters
	 * @param settings concurrency and time budget
	 */
	public CacheWarming(CacheService cache, CacheSettings cacheSettings, CacheMetrics metrics, Settings settings) {
		this.cache = Objects.requireNonNull(cache, "cache must not be null");
		this.cacheSettings = Objects.requireNonNull(cacheSettings, "cacheSettings must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.springCache = null;
		this.threads = StarterThreads.DEFAULTS;
	}

	private CacheWarming(CacheWarming warming, @Nullable RedisStarterCacheManager springCache, StarterThreads threads) {
		this.cache = warming.cache;
		this.cacheSettings = warming.cacheSettings;
		this.metrics = warming.metrics;
		this.settings = warming.settings;
		this.springCache = springCache;
		this.threads = threads;
	}

	/**
	 * This warming, writing entries that the Spring Cache bridge's caches ({@code @Cacheable}) read as hits: with
	 * their type recorded, as the bridge writes them.
	 * @param springCache the bridge
	 * @return a new warming
	 */
	public CacheWarming withSpringCache(RedisStarterCacheManager springCache) {
		return new CacheWarming(this, Objects.requireNonNull(springCache, "springCache must not be null"), this.threads);
	}

	/**
	 * This warming, running the loads on the application's handler threads ({@code redis.starter.virtual-threads},
	 * its {@code TaskDecorator}) rather than plain platform threads.
	 * @param threads the starter's threads
	 * @return a new warming
	 */
	public CacheWarming withThreads(StarterThreads threads) {
		return new CacheWarming(this, this.springCache, Objects.requireNonNull(threads, "threads must not be null"));
	}

	/**
	 * Runs the warmers and waits for them, at most for the time budget.
	 * @param warmers the warmers
	 * @return what each did
	 */
	public Report warm(Collection<? extends CacheWarmer> warmers) {
		long start = System.nanoTime();
		if (warmers.isEmpty()) {
			return new Report(List.of(), Duration.ZERO);
		}
		CountDownLatch done = new CountDownLatch(warmers.size());
		List<Progress> all = new ArrayList<>();
		// Every warmer checked before the pool exists: a bad one fails the run without leaving threads behind.
		for (CacheWarmer warmer : warmers) {
			all.add(new Progress(warmer, done));
		}
		ExecutorService pool = this.threads.handlerPool("cache", "warming", this.settings.concurrency());
		for (Progress progress : all) {
			pool.execute(this.threads.decorate(() -> listKeys(progress, pool)));
		}
		boolean finished;
		boolean interrupted = false;
		try {
			finished = done.await(this.settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			// The application is stopping while warming runs in the background.
			Thread.currentThread().interrupt();
			finished = false;
			interrupted = true;
		}
		// Results first, then the interrupts: a load that ends because it was interrupted is abandoned, not failed.
		List<Result> results = new ArrayList<>();
		for (Progress progress : all) {
			if (!finished) {
				progress.abandon();
			}
			results.add(progress.result());
		}
		pool.shutdownNow();
		Report report = new Report(List.copyOf(results), Duration.ofNanos(System.nanoTime() - start));
		if (!finished) {
			abandoned(report, interrupted);
		}
		else {
			logger.info("Cache warming done: " + results.size() + " warmer(s), " + report.written() + " entries in "
					+ report.time().toMillis() + " ms" + (report.failed() ? " (with failures)" : ""));
		}
		return report;
	}

	private void listKeys(Progress progress, ExecutorService pool) {
		Collection<String> keys;
		try {
			keys = List.copyOf(progress.warmer.keys());
		}
		catch (Throwable ex) {
			// Not only RuntimeException: a warmer's Error (a class that failed to initialise, an assertion) or a
			// checked exception thrown undeclared would otherwise end the pool's thread and leave the warmer
			// unfinished, so that the run waited for its whole budget and reported it timed out, not failed.
			progress.failed(ex);
			this.metrics.count(CacheMeter.WARMED, progress.cache, "failed");
			progress.finish(this::finished);
			return;
		}
		progress.listed(keys.size());
		if (keys.isEmpty()) {
			progress.finish(this::finished);
			return;
		}
		try {
			for (String key : keys) {
				pool.execute(this.threads.decorate(() -> loadOne(progress, key)));
			}
		}
		catch (RejectedExecutionException ex) {
			// The budget ran out while queueing: the rest is abandoned.
		}
	}

	private void loadOne(Progress progress, String key) {
		try {
			CacheWarmer.Entry entry = progress.warmer.load(key);
			// A load that ignored the interrupt and ended past the budget writes nothing: warming is over, and the
			// value it read may be older than an update the running application has made since.
			if (entry != null && !progress.abandoned) {
				String cacheName = progress.cache;
				String[] tags = entry.tags().toArray(String[]::new);
				Duration ttl = this.cacheSettings.ttl(cacheName, null);
				RedisStarterCacheManager bridge = this.springCache;
				if (this.cache instanceof RedisCacheService service && service.writesBehind(cacheName)) {
					// A write-behind cache must not write warmed values back to where they were read from.
					service.setLoaded(cacheName + ":" + key, entry.value(), ttl, tags);
				}
				else if (bridge != null) {
					bridge.warm(cacheName + ":" + key, entry.value(), ttl, tags);
				}
				else {
					this.cache.set(cacheName + ":" + key, entry.value(), ttl, tags);
				}
				progress.written.incrementAndGet();
				this.metrics.count(CacheMeter.WARMED, cacheName, "written");
			}
		}
		catch (Throwable ex) {
			// Any Throwable, as in listKeys: an Error here was lost and the warmer reported completed.
			if (!progress.abandoned) {
				progress.failed(ex);
				this.metrics.count(CacheMeter.WARMED, progress.cache, "failed");
			}
		}
		finally {
			if (progress.pending.decrementAndGet() == 0) {
				progress.finish(this::finished);
			}
		}
	}

	private void finished(Progress progress) {
		Result result = progress.result();
		if (result.outcome() == Outcome.FAILED) {
			logger.warn("Warming cache '" + result.cache() + "' failed: " + result.written() + " entries written, "
					+ result.failed() + " failed in " + result.time().toMillis() + " ms; first error: " + result.error(),
					progress.error);
		}
		else {
			logger.info("Warmed cache '" + result.cache() + "': " + result.written() + " entries in "
					+ result.time().toMillis() + " ms");
		}
	}

	private void abandoned(Report report, boolean interrupted) {
		StringBuilder left = new StringBuilder();
		for (Result result : report.results()) {
			if (result.outcome() == Outcome.TIMED_OUT) {
				left.append(left.isEmpty() ? "" : ", ")
					.append("'")
					.append(result.cache())
					.append("' (")
					.append(result.written())
					.append(" entries written)");
				this.metrics.count(CacheMeter.WARMED, result.cache(), "abandoned", Math.max(1, result.abandoned()));
			}
		}
		String why = interrupted ? "Cache warming stopped with the application"
				: "Cache warming stopped after its time budget of " + this.settings.timeout().toMillis()
						+ " ms (redis.starter.cache.warming.timeout)";
		logger.warn(why + "; unfinished: " + left + "; " + report.written() + " entries written in all");
	}

	/** How many threads warm at once, and for how long in all. */
	public record Settings(int concurrency, Duration timeout) {

		/** 4 threads, 30 seconds. */
		public static final Settings DEFAULTS = new Settings(4, Duration.ofSeconds(30));

		/**
		 * @param concurrency at least 1
		 * @param timeout positive
		 */
		public Settings {
			if (concurrency < 1) {
				throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
			}
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("timeout must be positive, was " + timeout);
			}
		}

	}

	/** How a warmer ended. */
	public enum Outcome {

		/** Every key loaded and written. */
		COMPLETED,

		/** Its keys, or at least one load, threw. */
		FAILED,

		/** The time budget ran out before it finished. */
		TIMED_OUT

	}

	/**
	 * What one warmer did.
	 * @param cache the cache
	 * @param outcome how it ended
	 * @param written entries written
	 * @param failed loads that threw (or 1 when its keys threw)
	 * @param abandoned keys left when the budget ran out
	 * @param time how long it ran
	 * @param error the first error, or {@code null}
	 */
	public record Result(String cache, Outcome outcome, long written, long failed, long abandoned, Duration time,
			@Nullable String error) {
	}

	/**
	 * What a warming run did.
	 * @param results one per warmer
	 * @param time how long the run took
	 */
	public record Report(List<Result> results, Duration time) {

		/** @return whether a warmer failed */
		public boolean failed() {
			return this.results.stream().anyMatch((result) -> result.outcome() == Outcome.FAILED);
		}

		/** @return whether the time budget ran out */
		public boolean timedOut() {
			return this.results.stream().anyMatch((result) -> result.outcome() == Outcome.TIMED_OUT);
		}

		/** @return entries written in all */
		public long written() {
			return this.results.stream().mapToLong(Result::written).sum();
		}

	}

	/** One warmer's progress, updated from the pool's threads. */
	private static final class Progress {

		final CacheWarmer warmer;

		final String cache;

		final CountDownLatch done;

		final long start = System.nanoTime();

		final AtomicLong written = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		final AtomicInteger pending = new AtomicInteger(-1);

		volatile long keys = -1;

		volatile long end;

		volatile @Nullable Throwable error;

		/** Set when the budget ran out first: what ends later is neither logged nor counted. */
		volatile boolean abandoned;

		/** Frozen at the budget, so that later completions do not change the report. */
		volatile @Nullable Result frozen;

		Progress(CacheWarmer warmer, CountDownLatch done) {
			this.warmer = warmer;
			this.cache = Objects.requireNonNull(warmer.cache(), "A warmer's cache must not be null");
			this.done = done;
		}

		void listed(int count) {
			this.keys = count;
			this.pending.set(count);
		}

		synchronized void failed(Throwable ex) {
			this.failed.incrementAndGet();
			if (this.error == null) {
				this.error = ex;
			}
		}

		synchronized void abandon() {
			this.frozen = result();
			this.abandoned = true;
		}

		synchronized void finish(java.util.function.Consumer<Progress> log) {
			if (this.abandoned) {
				return;
			}
			this.end = System.nanoTime();
			log.accept(this);
			this.done.countDown();
		}

		Result result() {
			Result result = this.frozen;
			return (result != null) ? result : current();
		}

		private Result current() {
			long finishedAt = this.end;
			Outcome outcome = (finishedAt == 0) ? Outcome.TIMED_OUT
					: (this.failed.get() > 0) ? Outcome.FAILED : Outcome.COMPLETED;
			long written = this.written.get();
			long failures = this.failed.get();
			long abandoned = (outcome != Outcome.TIMED_OUT) ? 0
					: (this.keys < 0) ? 0 : Math.max(0, this.keys - written - failures);
			Throwable first = this.error;
			String message = (first != null) ? first.getClass().getSimpleName() + ": " + first.getMessage() : null;
			long until = (finishedAt == 0) ? System.nanoTime() : finishedAt;
			return new Result(this.cache, outcome, written, failures, abandoned, Duration.ofNanos(until - this.start),
					message);
		}

	}

}
