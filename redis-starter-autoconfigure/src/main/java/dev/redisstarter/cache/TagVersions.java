package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.core.subscription.Route;
import dev.redisstarter.core.subscription.RouteListener;

/**
 * The tag versions this instance knows, so that a tagged hit needs no second round trip to check them.
 * Kept fresh by a subscription (a connection of its own, kept by the starter's one subscription stack) to the channel every invalidation publishes its tag
 * on. Known versions are trusted only while that subscription is up: when it drops, they are forgotten and
 * entries are checked against Redis until it is subscribed again (notices sent in between are lost, so
 * nothing learned before can be trusted). A version learned from Redis is kept only if no notice arrived
 * while it was being read, so a notice can never be overtaken by the read it should have cancelled.
 */
final class TagVersions implements AutoCloseable {

	/** Beyond this many tags, the known versions are dropped and learned again (a bound, not an LRU). */
	private static final int MAX_KNOWN = 100_000;

	private final boolean enabled;

	private final @Nullable PubSubSubscriber subscription;

	private final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();

	/** Moves on with every notice and every loss of the subscription. */
	private final AtomicLong epoch = new AtomicLong();

	private volatile boolean trusted;

	/**
	 * Versions kept locally.
	 * @param access whose client the subscription connects with (in the background; its liveness is checked)
	 * @param channel where invalidations are published
	 * @param enabled false to keep nothing locally (every tagged hit then reads the versions from Redis)
	 */
	TagVersions(RedisAccess access, String channel, boolean enabled) {
		this.enabled = enabled;
		this.subscription = enabled ? new PubSubSubscriber(access, "cache invalidations") : null;
		if (this.subscription != null) {
			this.subscription.subscribeDirect(new Route(Route.Kind.CHANNEL, channel), new Notices());
			this.subscription.start();
		}
	}

	/** The version known for a tag, or {@code null} when it must be read from Redis. */
	@Nullable String known(String tag) {
		if (!this.enabled) {
			return null;
		}
		return this.trusted ? this.known.get(tag) : null;
	}

	/** Whether known versions are trusted now: the subscription is up. */
	boolean trusted() {
		return this.trusted;
	}

	/** Where notices stand: take it before reading versions from Redis, and pass it to {@link #learn}. */
	long epoch() {
		return this.epoch.get();
	}

	/** Keeps a version read from Redis, unless a notice or a disconnection came since {@code epochBefore}. */
	void learn(String tag, String version, long epochBefore) {
		if (!this.trusted || this.epoch.get() != epochBefore) {
			return;
		}
		if (this.known.size() >= MAX_KNOWN) {
			this.known.clear();
		}
		this.known.put(tag, version);
		if (this.epoch.get() != epochBefore) {
			// A notice arrived while this was being stored: it may have been for this tag.
			this.known.remove(tag, version);
		}
	}

	/** Forgets a tag's version: it was invalidated, here or elsewhere. */
	void forget(String tag) {
		this.epoch.incrementAndGet();
		this.known.remove(tag);
	}

	private void forgetAll() {
		this.trusted = false;
		this.epoch.incrementAndGet();
		this.known.clear();
	}

	@Override
	public void close() {
		if (this.subscription != null) {
			this.subscription.close();
		}
		forgetAll();
	}

	/** Notices, (re)subscriptions and losses: Lettuce subscribes again by itself after a reconnection. */
	private final class Notices implements RouteListener {

		@Override
		public void message(Route route, String channel, byte[] tag) {
			forget(new String(tag, StandardCharsets.UTF_8));
		}

		@Override
		public void subscribed(Route route) {
			forgetAll();
			TagVersions.this.trusted = true;
		}

		@Override
		public void lost(Route route) {
			forgetAll();
		}

	}

}
