package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;


import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCircuitBreaker;
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

	private final CacheSettings settings;

	private final CacheMetrics metrics;

	private final @Nullable PubSubSubscriber subscription;

	/**
	 * How many caches get a local tier at most: cache names come from keys (the part before the first ':'), which
	 * may come from user input, and with {@code near.enabled} as the default every new name would get a tier of
	 * its own. Past this, caches without settings of their own are read from Redis only here (their writes still
	 * tell every instance); caches named in configuration always get a tier.
	 */
	static final int MAX_TIERS = 1_000;

	/** The local tiers, one per near-cached cache seen (nothing is held for caches without a near policy). */
	private final ConcurrentHashMap<String, NearTier> tiers = new ConcurrentHashMap<>();

	private final AtomicBoolean tiersOverflowed = new AtomicBoolean();

	private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);

	private volatile boolean trusted;

	/** Publishes this instance's notices, keeping those Redis did not take for when it answers. */
	private final NearNotices notices;

	private final RedisCircuitBreaker circuit;

	/** Retries the notices Redis did not take when the circuit closes; removed on close. */
	private final Consumer<RedisCircuitBreaker.State> circuitClosed;

	/**
	 * Near caches for the caches whose policy asks for one; nothing at all (no subscription) when none does.
	 * @param access whose client the notices' subscription connects with, and whose circuit tells when to retry
	 * @param commands where notices are published
	 * @param channel where notices are published ({@code <prefix>cache:invalidations:keys})
	 * @param settings the caches' policies
	 * @param metrics where local hits and drops are counted
	 */
	NearCache(RedisAccess access, CacheCommands commands, String channel, CacheSettings settings, CacheMetrics metrics) {
		this(access, commands, channel, settings, metrics, null);
	}

	/** With another publisher of notices than Redis ({@code null}: Redis), for tests. */
	NearCache(RedisAccess access, CacheCommands commands, String channel, CacheSettings settings, CacheMetrics metrics,
			@Nullable Consumer<List<String>> publisher) {
		this.settings = settings;
		this.metrics = metrics;
		this.circuit = access.circuit();
		this.notices = new NearNotices(commands, channel, access.background(),
				access.settings().openDuration().toMillis(), metrics, publisher);
		this.circuitClosed = (state) -> {
			if (state == RedisCircuitBreaker.State.CLOSED) {
				this.notices.retrySoon();
			}
		};
		boolean any = settings.defaults().near().enabled()
				|| settings.caches().values().stream().anyMatch((policy) -> policy.near().enabled());
		this.subscription = any ? new PubSubSubscriber(access, "cache near invalidations") : null;
		if (this.subscription != null) {
			this.subscription.subscribeDirect(new Route(Route.Kind.CHANNEL, channel), new Notices());
			this.subscription.start();
			this.circuit.onTransition(this.circuitClosed);
		}
	}

	/** The cache's local tier, or {@code null} when its policy has none. */
	@Nullable NearTier tier(String cache) {
		if (this.subscription == null) {
			return null;
		}
		NearTier tier = this.tiers.get(cache);
		if (tier != null || !nearCached(cache)) {
			return tier;
		}
		// Caches named in configuration always get theirs: only names that come with the defaults are capped.
		if (this.tiers.size() >= MAX_TIERS && !this.settings.caches().containsKey(cache)) {
			if (this.tiersOverflowed.compareAndSet(false, true)) {
				logger.warn(MAX_TIERS + " caches have a near cache already: cache " + Masking.mask(cache)
						+ " and further ones are read from Redis only in this instance (is a key's first part, the"
						+ " cache name, built from user input while redis.starter.cache.near.enabled is true?)");
			}
			return null;
		}
		return this.tiers.computeIfAbsent(cache, this::newTier);
	}

	/** Whether a cache's policy asks for a near cache: then its writes tell every instance, tier here or not. */
	private boolean nearCached(String cache) {
		return this.settings.policy(cache).near().enabled();
	}

	private NearTier newTier(String cache) {
		NearTier tier = new NearTier(cache, this.settings.policy(cache).near(),
				this.metrics.resolvedCounter(CacheMeter.GETS, cache, "hit"),
				this.metrics.resolvedCounter(CacheMeter.NEAR_HITS, cache, null));
		this.metrics.registerGauge(CacheMeter.NEAR_ENTRIES, cache, tier, NearTier::size);
		return tier;
	}

	/** How many caches have a local tier here. */
	int tierCount() {
		return this.tiers.size();
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
			// The reader that kept it chooses the same type again (a recorded type is resolved by class name: costly).
			if (copy.readBy() != type) {
				JavaType readAs = type.readAs(entry);
				if (readAs == null || !readAs.equals(copy.type())) {
					return null;
				}
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
	 * @param readStartNanos when the read began ({@link System#nanoTime()}): the remaining life Redis gave is
	 * counted from there, so that the time the read and its decoding took does not lengthen the copy's life
	 * @param stored the entry with its remaining life in Redis in ms (-1: none; -2: gone)
	 * @param readBy what chose the type ({@code null} for a cached "absent")
	 * @param type the type the value was decoded as
	 * @param value the decoded value
	 */
	void keep(NearTier tier, String key, long stamp, long readStartNanos, EntryStore.Stored stored,
			@Nullable ValueType readBy, @Nullable JavaType type, @Nullable Object value) {
		if (stamp < 0 || stored.ttlMillis() == -2 || stored.ttlMillis() == 0) {
			return;
		}
		long now = System.nanoTime();
		long left = tier.maxTimeNanos() - (now - readStartNanos);
		long expiresAt = Long.MAX_VALUE;
		if (stored.ttlMillis() > 0) {
			expiresAt = readStartNanos + TimeUnit.MILLISECONDS.toNanos(stored.ttlMillis());
			left = Math.min(left, expiresAt - now);
		}
		if (left <= 0) {
			return;
		}
		NearEntry copy = new NearEntry(stored.entry(), readBy, type, value, expiresAt, left);
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
		if (this.subscription == null) {
			return;
		}
		for (String key : keys) {
			NearTier tier = this.tiers.get(CacheMetrics.cacheOf(key));
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
		if (this.subscription == null) {
			return;
		}
		List<String> notices = null;
		for (String key : keys) {
			String cache = CacheMetrics.cacheOf(key);
			NearTier tier = this.tiers.get(cache);
			if (tier != null) {
				drop(tier, key);
			}
			// By the policy, not by the tier here: another instance may hold a copy this one has no tier for.
			if (nearCached(cache)) {
				if (notices == null) {
					notices = new ArrayList<>(keys.size());
				}
				notices.add(key);
			}
		}
		if (notices != null) {
			this.notices.publishOrKeep(notices, applied);
		}
	}

	/**
	 * Entries matching a pattern were removed: drops the cache's tier here (every tier when the pattern's cache
	 * name is itself a pattern) and tells every instance.
	 * @param completed false when the removal failed part-way (the notice then waits without a try, Redis being
	 * unwell: the caller is not kept waiting a second time)
	 */
	void patternRemoved(String glob, boolean completed) {
		if (this.subscription == null) {
			return;
		}
		String cache = CacheMetrics.cacheOf(glob);
		boolean oneCache = !cache.equals(CacheMetrics.NO_CACHE_NAME) && cache.chars().noneMatch((c) -> "*?[\\".indexOf(c) >= 0);
		if (oneCache && !nearCached(cache)) {
			return;
		}
		String notice = oneCache ? NearNotices.CLEAR + ":" + cache : NearNotices.CLEAR;
		dropTiers(oneCache ? cache : null, "cleared");
		this.notices.publishOrKeep(List.of(notice), completed);
	}

	private void drop(NearTier tier, String key) {
		this.stamps.incrementAndGet(stripe(key));
		tier.remove(key);
	}

	/** Drops one cache's tier, or every tier ({@code cache} null), counting the copies dropped. */
	private void dropTiers(@Nullable String cache, String why) {
		for (int i = 0; i < STRIPES; i++) {
			this.stamps.incrementAndGet(i);
		}
		this.tiers.forEach((name, tier) -> {
			if (cache == null || cache.equals(name)) {
				long dropped = tier.clear();
				this.metrics.count(CacheMeter.NEAR_DROPS, name, why, dropped);
			}
		});
	}

	/** How many notices wait to be published. */
	int pendingNotices() {
		return this.notices.pending();
	}

	/** Publishes the notices that wait, on the caller's thread. */
	void retryNow() {
		this.notices.retryNow();
	}

	private static int stripe(String key) {
		int hash = key.hashCode();
		return (hash ^ (hash >>> 16)) & (STRIPES - 1);
	}

	@Override
	public void close() {
		this.circuit.removeTransitionListener(this.circuitClosed);
		this.notices.close();
		this.trusted = false;
		if (this.subscription != null) {
			this.subscription.close();
		}
		dropTiers(null, "closed");
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
			if (NearCache.this.notices.isOwn(message)) {
				return;
			}
			String notice = message.substring(bar + 1);
			if (notice.startsWith(NearNotices.CLEAR)) {
				String cache = notice.startsWith(NearNotices.CLEAR + ":")
						? notice.substring(NearNotices.CLEAR.length() + 1) : null;
				dropTiers(cache, "cleared");
				return;
			}
			NearTier tier = NearCache.this.tiers.get(CacheMetrics.cacheOf(notice));
			// The stamp moves even without a tier yet: a read that creates it may be under way.
			NearCache.this.stamps.incrementAndGet(stripe(notice));
			if (tier != null && tier.remove(notice)) {
				NearCache.this.metrics.count(CacheMeter.NEAR_DROPS, tier.name(), "notice");
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
