package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import io.lettuce.core.RedisFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCircuitBreaker;
import dev.redisstarter.core.RedisPermissionException;
import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.core.subscription.Route;
import dev.redisstarter.core.subscription.RouteListener;

/**
 * Near caches: a local tier ({@link NearTier}) in front of Redis for each cache whose policy turns one on
 * ({@link NearCachePolicy}). What keeps a copy from being served after it is outdated:
 * <ul>
 * <li>every write through the starter to a near-cached key (a put, a load, a delete, a pattern invalidation)
 * drops this instance's copy and, once Redis has applied it, publishes the key on
 * {@code <prefix>cache:invalidations:keys}; every instance drops its copy on that notice. A notice that cannot
 * be published is kept and sent again when Redis answers;</li>
 * <li>tag invalidations need no notice of their own: a local hit checks the entry's tag versions exactly as a
 * Redis hit does ({@link TagVersions}), so an entry whose tag was invalidated is a miss here at once;</li>
 * <li>a copy read from Redis is kept only if no notice for its key (nor a loss of the subscription) came since
 * the read began, a stamp per stripe of keys telling, so a notice can never be overtaken by the read it should
 * have cancelled;</li>
 * <li>copies are served only while the subscription is confirmed: when it is lost (its connection dropped or
 * went silent, the server restarted), every tier is emptied at once and stays unused until it is subscribed
 * again, because notices published meanwhile were not heard;</li>
 * <li>a copy never outlives its entry's time to live in Redis, nor the policy's {@code maxTime} (the bound on
 * what the starter cannot hear: writes that bypass it, entries evicted by Redis).</li>
 * </ul>
 * Values are decoded once and the same instance is returned to every caller in this JVM: treat them as
 * immutable.
 */
final class NearCache implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(NearCache.class);

	/** Stripes of keys for the stamps (a power of two). */
	private static final int STRIPES = 1024;

	/** The notice that drops whole tiers ({@code :clear}, or {@code :clear:<cache>}): cache keys never start with ':'. */
	private static final String CLEAR = ":clear";

	/** How many notices may wait for Redis to come back; past it, one notice that drops everything is sent instead. */
	static final int MAX_PENDING_NOTICES = 10_000;

	private final CacheSettings settings;

	private final CacheMetrics metrics;

	private final CacheCommands commands;

	private final byte[] channel;

	private final @Nullable PubSubSubscriber subscription;

	private final ConcurrentHashMap<String, Optional<NearTier>> tiers = new ConcurrentHashMap<>();

	private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);

	/** Notices not published yet (Redis did not answer); {@link #CLEAR} among them once too many waited. */
	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean retryScheduled = new AtomicBoolean();

	private final Executor executor;

	private final long retryIntervalMillis;

	private volatile boolean trusted;

	private volatile boolean closed;

	/**
	 * Who sends this instance's notices, heading each one ({@code <sender>|<key>}): its own are skipped when they
	 * come back, its copies having been dropped around the write already (one miss fewer after every write).
	 */
	private final String sender = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

	/**
	 * Near caches for the caches whose policy asks for one; nothing at all (no subscription) when none does.
	 * @param access whose client the notices' subscription connects with, and whose circuit tells when to retry
	 * @param commands where notices are published
	 * @param channel where notices are published ({@code <prefix>cache:invalidations:keys})
	 * @param settings the caches' policies
	 * @param metrics where local hits and drops are counted
	 */
	NearCache(RedisAccess access, CacheCommands commands, String channel, CacheSettings settings, CacheMetrics metrics) {
		this.settings = settings;
		this.metrics = metrics;
		this.commands = commands;
		this.channel = channel.getBytes(StandardCharsets.UTF_8);
		this.executor = access.background();
		this.retryIntervalMillis = access.settings().openDuration().toMillis();
		boolean any = settings.defaults().near().enabled()
				|| settings.caches().values().stream().anyMatch((policy) -> policy.near().enabled());
		this.subscription = any ? new PubSubSubscriber(access, "cache near invalidations") : null;
		if (this.subscription != null) {
			this.subscription.subscribeDirect(new Route(Route.Kind.CHANNEL, channel), new Notices());
			this.subscription.start();
			access.circuit().onTransition((state) -> {
				if (state == RedisCircuitBreaker.State.CLOSED) {
					retrySoon();
				}
			});
		}
	}

	/** The cache's local tier, or {@code null} when its policy has none. */
	@Nullable NearTier tier(String cache) {
		if (this.subscription == null) {
			return null;
		}
		Optional<NearTier> tier = this.tiers.get(cache);
		if (tier == null) {
			tier = this.tiers.computeIfAbsent(cache, this::newTier);
		}
		return tier.orElse(null);
	}

	private Optional<NearTier> newTier(String cache) {
		NearCachePolicy policy = this.settings.policy(cache).near();
		if (!policy.enabled()) {
			return Optional.empty();
		}
		NearTier tier = new NearTier(cache, policy, this.metrics.resolvedCounter(CacheMeter.GETS, cache, "hit"),
				this.metrics.resolvedCounter(CacheMeter.NEAR_HITS, cache, null));
		this.metrics.registerGauge(CacheMeter.NEAR_ENTRIES, cache, tier, NearTier::size);
		return Optional.of(tier);
	}

	/** Whether copies are served and kept now: the notices' subscription is confirmed. */
	boolean trusted() {
		return this.trusted;
	}

	/**
	 * A local hit, or {@code null} when the caller must read Redis (no copy, an outdated tag, another type).
	 * @param counted whether a hit is counted (false for a loader looking again)
	 */
	@Nullable Lookup read(NearTier tier, String key, ValueType type, EntryStore store, boolean counted) {
		NearEntry copy = tier.get(key);
		if (copy == null || !this.trusted) {
			return null;
		}
		CacheEntry entry = copy.entry();
		if (!entry.tags().isEmpty() && !store.currentHere(entry.tags())) {
			tier.remove(key, copy);
			return null;
		}
		Object value = null;
		if (!entry.absent()) {
			JavaType readAs = type.readAs(entry);
			if (readAs == null || !readAs.equals(copy.type())) {
				return null;
			}
			value = copy.value();
		}
		if (counted) {
			tier.hit();
		}
		return new Lookup(true, value, new EntryStore.Stored(entry, copy.redisTtlMillis(System.nanoTime())));
	}

	/** Where notices stand for a key: take it before reading Redis, and pass it to {@link #keep}; -1 when untrusted. */
	long stamp(String key) {
		return this.trusted ? this.stamps.get(stripe(key)) : -1;
	}

	/**
	 * Keeps a copy read from Redis, unless a notice for its stripe or a loss of the subscription came since
	 * {@code stamp} was taken.
	 * @param stored the entry with its remaining life in Redis in ms (-1: none; -2: gone)
	 * @param type the type the value was decoded as
	 * @param value the decoded value
	 */
	void keep(NearTier tier, String key, long stamp, EntryStore.Stored stored, @Nullable JavaType type,
			@Nullable Object value) {
		if (stamp < 0 || stored.ttlMillis() == -2 || stored.ttlMillis() == 0) {
			return;
		}
		long maxNanos = tier.maxTimeNanos();
		long now = System.nanoTime();
		long redisNanos = (stored.ttlMillis() > 0) ? TimeUnit.MILLISECONDS.toNanos(stored.ttlMillis()) : Long.MAX_VALUE;
		NearEntry copy = new NearEntry(stored.entry(), type, value,
				(redisNanos == Long.MAX_VALUE) ? Long.MAX_VALUE : now + redisNanos, Math.min(redisNanos, maxNanos));
		int stripe = stripe(key);
		if (this.stamps.get(stripe) != stamp || !this.trusted) {
			return;
		}
		tier.put(key, copy);
		// A notice bumps the stamp before it removes: one that came while this was stored removes it here, or there.
		if (this.stamps.get(stripe) != stamp || !this.trusted) {
			tier.remove(key, copy);
		}
	}

	/** Drops this instance's copies of keys about to be written, so that reads under way do not keep the old value. */
	void writing(Collection<String> keys) {
		for (String key : keys) {
			NearTier tier = tier(CacheMetrics.cacheOf(key));
			if (tier != null) {
				drop(tier, key);
			}
		}
	}

	/**
	 * Keys were written (or their writes failed, perhaps applied): drops the copies here again and tells every
	 * instance. Never throws: a notice that cannot be published waits for Redis to answer again.
	 * @param applied false when the write failed (the notices then wait without a try, Redis being unwell)
	 */
	void written(Collection<String> keys, boolean applied) {
		List<String> notices = null;
		for (String key : keys) {
			NearTier tier = tier(CacheMetrics.cacheOf(key));
			if (tier != null) {
				drop(tier, key);
				if (notices == null) {
					notices = new ArrayList<>(keys.size());
				}
				notices.add(key);
			}
		}
		if (notices != null) {
			publishOrKeep(notices, applied);
		}
	}

	/**
	 * Entries matching a pattern were removed: drops the cache's tier here (every tier when the pattern's cache
	 * name is itself a pattern) and tells every instance.
	 */
	void patternRemoved(String glob) {
		if (this.subscription == null) {
			return;
		}
		String cache = CacheMetrics.cacheOf(glob);
		boolean oneCache = !cache.equals(CacheMetrics.NO_CACHE_NAME) && cache.chars().noneMatch((c) -> "*?[\\".indexOf(c) >= 0);
		if (oneCache && tier(cache) == null) {
			return;
		}
		String notice = oneCache ? CLEAR + ":" + cache : CLEAR;
		dropTiers(oneCache ? cache : null, "cleared");
		publishOrKeep(List.of(notice), true);
	}

	private void drop(NearTier tier, String key) {
		this.stamps.incrementAndGet(stripe(key));
		tier.remove(key);
	}

	private void publishOrKeep(List<String> notices, boolean tryNow) {
		if (tryNow) {
			try {
				publish(notices);
				return;
			}
			catch (DataAccessException | RedisPermissionException ex) {
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
			if (this.pending.size() < MAX_PENDING_NOTICES || this.pending.contains(notice)) {
				this.pending.add(notice);
			}
			else {
				// Too many to remember: one notice that drops every tier everywhere replaces them.
				this.pending.clear();
				this.pending.add(CLEAR);
				this.metrics.count(CacheMeter.NEAR_DROPS, "*", "notices-overflowed");
				break;
			}
		}
		scheduleRetry();
	}

	/** Publishes what waits, on the caller's thread; what fails waits on. */
	void retryNow() {
		List<String> batch = List.copyOf(this.pending);
		if (batch.isEmpty()) {
			return;
		}
		List<String> toSend = batch.contains(CLEAR) ? List.of(CLEAR) : batch;
		try {
			publish(toSend);
			this.pending.removeAll(batch);
			logger.info("Sent " + toSend.size() + " deferred near-cache notice(s)");
		}
		catch (DataAccessException | RedisPermissionException ex) {
			// Stays pending; tried again later.
		}
	}

	private void retrySoon() {
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

	/** Drops one cache's tier, or every tier ({@code cache} null), counting the copies dropped. */
	private void dropTiers(@Nullable String cache, String why) {
		for (int i = 0; i < STRIPES; i++) {
			this.stamps.incrementAndGet(i);
		}
		this.tiers.forEach((name, tier) -> {
			if (tier.isPresent() && (cache == null || cache.equals(name))) {
				long dropped = tier.get().clear();
				this.metrics.count(CacheMeter.NEAR_DROPS, name, why, dropped);
			}
		});
	}

	/** How many notices wait to be published. */
	int pendingNotices() {
		return this.pending.size();
	}

	private static int stripe(String key) {
		int hash = key.hashCode();
		return (hash ^ (hash >>> 16)) & (STRIPES - 1);
	}

	@Override
	public void close() {
		this.closed = true;
		this.trusted = false;
		if (this.subscription != null) {
			this.subscription.close();
		}
		dropTiers(null, "closed");
		if (!this.pending.isEmpty()) {
			logger.warn(this.pending.size() + " near-cache notice(s) never reached Redis before the cache closed;"
					+ " other instances drop those copies within their near caches' max-time");
		}
	}

	/** Notices from every instance, and the subscription's confirmations and losses. */
	private final class Notices implements RouteListener {

		@Override
		public void message(Route route, String channel, byte[] body) {
			String message = new String(body, StandardCharsets.UTF_8);
			int bar = message.indexOf('|');
			if (bar < 0) {
				// Not one of ours: whatever it meant, nothing held here can be trusted to be current.
				dropTiers(null, "cleared");
				return;
			}
			if (message.startsWith(NearCache.this.sender + "|")) {
				return;
			}
			String notice = message.substring(bar + 1);
			if (notice.startsWith(CLEAR)) {
				String cache = notice.startsWith(CLEAR + ":") ? notice.substring(CLEAR.length() + 1) : null;
				dropTiers(cache, "cleared");
				return;
			}
			Optional<NearTier> tier = NearCache.this.tiers.get(CacheMetrics.cacheOf(notice));
			// The stamp moves even without a tier yet: a read that creates it may be under way.
			NearCache.this.stamps.incrementAndGet(stripe(notice));
			if (tier != null && tier.isPresent() && tier.get().remove(notice)) {
				NearCache.this.metrics.count(CacheMeter.NEAR_DROPS, tier.get().name(), "notice");
			}
		}

		@Override
		public void subscribed(Route route) {
			dropTiers(null, "resubscribed");
			NearCache.this.trusted = true;
		}

		@Override
		public void lost(Route route) {
			NearCache.this.trusted = false;
			dropTiers(null, "lost");
		}

	}

}
