package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.lettuce.core.RedisFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.RedisPermissionException;

/**
 * The near cache's notices from this instance: {@code <sender>|<key>} (or {@code <sender>|:clear[:<cache>]}) on
 * {@code <prefix>cache:invalidations:keys}, published once Redis has applied the write. A notice Redis did not
 * take waits, with the generation of its latest deferral (a retry removes only what it sent, never a deferral of the
 * same key made while it was on its way, as {@link DeferredInvalidations} does), and is sent again when the circuit
 * closes and every retry interval; past {@link #MAX_PENDING_NOTICES}, one notice that drops every tier replaces them.
 */
final class NearNotices {

	private static final Log logger = LogFactory.getLog(NearNotices.class);

	/** The notice that drops whole tiers ({@code :clear}, or {@code :clear:<cache>}): cache keys never start with ':'. */
	static final String CLEAR = ":clear";

	/** How many notices may wait for Redis to come back; past it, one notice that drops everything is sent instead. */
	static final int MAX_PENDING_NOTICES = 10_000;

	private final CacheCommands commands;

	private final byte[] channel;

	private final Executor executor;

	private final long retryIntervalMillis;

	private final CacheMetrics metrics;

	/** Publishes notices (Redis, but for tests). */
	private final Consumer<List<String>> publisher;

	private final Map<String, Long> pending = new ConcurrentHashMap<>();

	private final AtomicLong generations = new AtomicLong();

	private final AtomicBoolean retryScheduled = new AtomicBoolean();

	private volatile boolean closed;

	/**
	 * Who sends this instance's notices, heading each one: its own are skipped when they come back, its copies having
	 * been dropped around the write already (one miss fewer after every write).
	 */
	private final String sender = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

	NearNotices(CacheCommands commands, String channel, Executor executor, long retryIntervalMillis,
			CacheMetrics metrics, @Nullable Consumer<List<String>> publisher) {
		this.commands = commands;
		this.channel = channel.getBytes(StandardCharsets.UTF_8);
		this.executor = executor;
		this.retryIntervalMillis = retryIntervalMillis;
		this.metrics = metrics;
		this.publisher = (publisher != null) ? publisher : this::publish;
	}

	/** Whether a message received is one this instance sent. */
	boolean isOwn(String message) {
		return message.startsWith(this.sender) && message.length() > this.sender.length()
				&& message.charAt(this.sender.length()) == '|';
	}

	/**
	 * Publishes notices now, or keeps them for when Redis answers. Never throws.
	 * @param tryNow false when Redis just failed the caller's write (no second wait for the caller)
	 */
	void publishOrKeep(List<String> notices, boolean tryNow) {
		if (tryNow) {
			try {
				this.publisher.accept(notices);
				return;
			}
			catch (RedisPermissionException ex) {
				// Logged once and shown in health where it was refused; a line per write would flood the log.
			}
			catch (DataAccessException ex) {
				logger.warn("Could not tell other instances to drop " + notices.size() + " near-cached key(s) ("
						+ ex.getMessage() + "): sent again when Redis answers");
			}
		}
		keep(notices);
	}

	private void publish(List<String> notices) {
		this.commands.send((redis) -> {
			List<RedisFuture<Long>> sent = new ArrayList<>(notices.size());
			for (String notice : notices) {
				sent.add(redis.publish(this.channel, (this.sender + "|" + notice).getBytes(StandardCharsets.UTF_8)));
			}
			sent.forEach(this.commands::await);
			return null;
		});
	}

	private void keep(List<String> notices) {
		for (String notice : notices) {
			if (this.pending.size() < MAX_PENDING_NOTICES || this.pending.containsKey(notice)) {
				this.pending.put(notice, this.generations.incrementAndGet());
			}
			else {
				// Too many to remember: one notice that drops every tier everywhere replaces them.
				this.pending.clear();
				this.pending.put(CLEAR, this.generations.incrementAndGet());
				this.metrics.count(CacheMeter.NEAR_DROPS, "*", "notices-overflowed");
				break;
			}
		}
		scheduleRetry();
	}

	/** Publishes what waits, on the caller's thread; what fails waits on. */
	void retryNow() {
		Map<String, Long> batch = Map.copyOf(this.pending);
		if (batch.isEmpty()) {
			return;
		}
		List<String> toSend = batch.containsKey(CLEAR) ? List.of(CLEAR) : List.copyOf(batch.keySet());
		try {
			this.publisher.accept(toSend);
			// Only what was sent: a key deferred again meanwhile (a later write) waits for a notice after it.
			batch.forEach(this.pending::remove);
			logger.info("Sent " + toSend.size() + " deferred near-cache notice(s)");
		}
		catch (DataAccessException | RedisPermissionException ex) {
			// Stays pending; tried again later.
		}
	}

	/** Retries on the background thread now (Redis answers again). */
	void retrySoon() {
		if (!this.pending.isEmpty()) {
			this.executor.execute(this::retryNow);
		}
	}

	private void scheduleRetry() {
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

	/** How many notices wait. */
	int pending() {
		return this.pending.size();
	}

	void close() {
		this.closed = true;
		if (!this.pending.isEmpty()) {
			logger.warn(this.pending.size() + " near-cache notice(s) never reached Redis before the cache closed;"
					+ " other instances drop those copies within their near caches' max-time");
		}
	}

}
