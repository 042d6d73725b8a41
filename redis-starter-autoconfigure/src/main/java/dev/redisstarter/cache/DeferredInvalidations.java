package dev.redisstarter.cache;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisPermissionException;

/**
 * Tag invalidations that could not reach Redis, kept to be sent again once it answers, so that an update
 * saved during an outage is not served stale for the rest of its entries' lives. Until a tag's invalidation
 * has reached Redis, this instance treats entries carrying it as absent. Bounded: past {@code capacity} tags,
 * further ones are dropped, counted and logged (their entries expire with their time to live). Retries run
 * every {@code retryInterval} on a background thread while anything is pending.
 */
final class DeferredInvalidations {

	private static final Log logger = LogFactory.getLog(DeferredInvalidations.class);

	private static final int BATCH = 100;

	/** Each waiting tag with the generation of its latest deferral: a retry removes only what it sent. */
	private final Map<String, Long> pending = new ConcurrentHashMap<>();

	private final AtomicLong generations = new AtomicLong();

	private final Executor executor;

	private final int capacity;

	private final long retryIntervalMillis;

	private final ToLongFunction<List<String>> invalidate;

	private final CacheMetrics metrics;

	private final AtomicBoolean retryScheduled = new AtomicBoolean();

	private final AtomicLong dropped = new AtomicLong();

	private volatile boolean closed;

	/**
	 * Deferred invalidations.
	 * @param capacity how many tags may wait at most
	 * @param retryIntervalMillis how often to try again
	 * @param invalidate sends invalidations to Redis (throws {@link DataAccessException} when it cannot)
	 * @param metrics where dropped and retried invalidations are counted
	 * @param executor where retries run (the starter's background thread)
	 */
	DeferredInvalidations(int capacity, long retryIntervalMillis, ToLongFunction<List<String>> invalidate,
			CacheMetrics metrics, Executor executor) {
		this.executor = executor;
		this.capacity = capacity;
		this.retryIntervalMillis = retryIntervalMillis;
		this.invalidate = invalidate;
		this.metrics = metrics;
	}

	/** Keeps tags whose invalidation failed, and schedules a retry. */
	void defer(Collection<String> tags, DataAccessException failure) {
		int kept = 0;
		for (String tag : tags) {
			if (this.pending.size() < this.capacity || this.pending.containsKey(tag)) {
				this.pending.put(tag, this.generations.incrementAndGet());
				kept++;
			}
		}
		int lost = tags.size() - kept;
		if (lost > 0) {
			this.dropped.addAndGet(lost);
			this.metrics.count(CacheMeter.INVALIDATIONS, "*", "dropped", lost);
			logger.warn(lost + " tag invalidation(s) dropped: " + this.capacity + " already wait for Redis to come back;"
					+ " their entries expire with their time to live (" + this.dropped.get() + " dropped so far)");
		}
		this.metrics.count(CacheMeter.INVALIDATIONS, "*", "deferred", kept);
		logger.warn("Could not invalidate tags " + Masking.mask(tags) + " (" + failure.getMessage()
				+ "): this instance treats their entries as absent, and sends the invalidation again when Redis answers");
		scheduleRetry();
	}

	/** Whether any of these tags waits for its invalidation to reach Redis. */
	boolean anyPending(Map<String, String> tags) {
		if (this.pending.isEmpty()) {
			return false;
		}
		for (String tag : tags.keySet()) {
			if (this.pending.containsKey(tag)) {
				return true;
			}
		}
		return false;
	}

	/** How many tags wait. */
	int size() {
		return this.pending.size();
	}

	/** Tries the pending invalidations now (on the caller's thread); what fails stays pending. */
	void retryNow() {
		Map<String, Long> batch = new LinkedHashMap<>();
		for (Map.Entry<String, Long> tag : this.pending.entrySet()) {
			batch.put(tag.getKey(), tag.getValue());
			if (batch.size() == BATCH) {
				if (!send(batch)) {
					return;
				}
				batch = new LinkedHashMap<>();
			}
		}
		if (!batch.isEmpty()) {
			send(batch);
		}
	}

	private boolean send(Map<String, Long> batch) {
		try {
			this.invalidate.applyAsLong(List.copyOf(batch.keySet()));
			// A tag deferred again while this was in flight has a newer generation and stays.
			batch.forEach(this.pending::remove);
			this.metrics.count(CacheMeter.INVALIDATIONS, "*", "retried", batch.size());
			logger.info("Sent " + batch.size() + " deferred tag invalidation(s) to Redis");
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
		catch (RedisPermissionException ex) {
			// Logged once where it was refused, and in health; kept (and its entries treated as absent) until granted,
			// rather than ending the retries with an exception on the background thread.
			return false;
		}
	}

	/** Retries now on the executor (Redis answers again). */
	void retrySoon() {
		if (!this.pending.isEmpty()) {
			this.executor.execute(this::retryNow);
		}
	}

	void scheduleRetry() {
		if (this.closed || !this.retryScheduled.compareAndSet(false, true)) {
			return;
		}
		CompletableFuture.delayedExecutor(this.retryIntervalMillis, TimeUnit.MILLISECONDS, this.executor).execute(() -> {
			this.retryScheduled.set(false);
			if (this.closed) {
				return;
			}
			retryNow();
			if (!this.pending.isEmpty()) {
				scheduleRetry();
			}
		});
	}

	void close() {
		this.closed = true;
		if (!this.pending.isEmpty()) {
			logger.warn(this.pending.size() + " tag invalidation(s) never reached Redis before the cache closed");
		}
	}

}
