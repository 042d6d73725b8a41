package dev.redisstarter.lock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;

/**
 * {@link DistributedLock} on Redis. Keys and commands:
 * <ul>
 * <li>{@code <prefix>lock:{<name>}}: string holding the owner's id, expiring with the lease. Acquire is
 * {@code acquire.lua} (SET NX PX, then the token); release is {@code release.lua} (compare and delete, then
 * PUBLISH); renewal and {@link LockLease#extend} are {@code extend.lua} (compare and PEXPIRE).</li>
 * <li>{@code <prefix>lock:{<name>}:fence}: string holding the last fencing token, kept one day.</li>
 * <li>{@code <prefix>lock:{<name>}:waiters}: how many owners wait (counted by a failed {@code acquire.lua},
 * uncounted by a successful one or by {@code stop-waiting.lua}), expiring shortly after the longest wait; a
 * release publishes a notice only while it is above zero, so uncontended locks never publish.</li>
 * <li>channel {@code <prefix>lock:released}: every release publishes the lock's name, waking waiters in every
 * instance at once; a waiter that misses a notice tries again after the poll interval or when the holder's
 * lease ends, whichever comes first.</li>
 * </ul>
 * A thread that holds a lock and acquires it again gets a reentrant hold without a round trip. One daemon
 * thread renews every renewed lease of this instance. Close this object to stop it and the subscription.
 */
public final class RedisDistributedLock implements DistributedLock, AutoCloseable {

	private static final Duration FENCE_RETENTION = Duration.ofDays(1);

	private final StringRedisTemplate redis;

	private final KeyNaming keys;

	private final LockSettings settings;

	private final LockMetrics metrics;

	private final LockScripts scripts = LockScripts.load();

	private final String channel;

	private final LockNotices notices;

	private final ScheduledThreadPoolExecutor watchdog;

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicLong acquisitions = new AtomicLong();

	private final Map<String, Holder> held = new ConcurrentHashMap<>();

	/**
	 * A lock service.
	 * @param connectionFactory the connection factory (the release-notice subscription takes a connection of its own)
	 * @param keys the key naming
	 * @param settings leases, waits, renewal and polling
	 * @param metrics where acquisitions are counted
	 */
	public RedisDistributedLock(RedisConnectionFactory connectionFactory, KeyNaming keys, LockSettings settings,
			LockMetrics metrics) {
		this.redis = new StringRedisTemplate(Objects.requireNonNull(connectionFactory, "connectionFactory must not be null"));
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.channel = keys.prefix() + Feature.LOCK.segment() + ":released";
		this.watchdog = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "redis-starter-lock-renewal");
			thread.setDaemon(true);
			return thread;
		});
		this.watchdog.setRemoveOnCancelPolicy(true);
		this.notices = new LockNotices(connectionFactory, this.channel);
	}

	@Override
	public Optional<LockLease> tryAcquire(String name, Duration wait) {
		return acquire(name, wait, this.settings.defaultLease(), this.settings.renewal());
	}

	@Override
	public Optional<LockLease> tryAcquire(String name, Duration wait, Duration lease) {
		if (lease == null || lease.toMillis() < 1) {
			throw new IllegalArgumentException("The lease of lock '" + name + "' must be at least 1 ms, was " + lease);
		}
		return acquire(name, wait, lease, false);
	}

	private Optional<LockLease> acquire(String name, Duration wait, Duration lease, boolean renew) {
		checkName(name);
		if (wait == null || wait.isNegative()) {
			throw new IllegalArgumentException("The wait for lock '" + name + "' must not be negative, was " + wait);
		}
		Holder holder = this.held.get(name);
		if (holder != null && holder.thread == Thread.currentThread()) {
			this.metrics.reentered();
			return Optional.of(new ReentrantHold(holder));
		}
		long start = System.nanoTime();
		long deadline = start + wait.toNanos();
		String key = this.keys.hashTagged(Feature.LOCK, name);
		String waitersKey = this.keys.hashTagged(Feature.LOCK, name, "waiters");
		List<String> scriptKeys = List.of(key, this.keys.hashTagged(Feature.LOCK, name, "fence"), waitersKey);
		String owner = this.instanceId + ":" + this.acquisitions.incrementAndGet();
		// Counted among the waiters in Redis for as long as this call may still wait, plus a margin.
		String waiterTtl = Long.toString(Math.max(1, wait.toMillis()) + 1000);
		LockNotices.Signal signal = null;
		boolean waiting = false;
		try {
			while (true) {
				List<?> reply = this.redis.execute(this.scripts.acquire(), scriptKeys, owner,
						Long.toString(lease.toMillis()), Long.toString(FENCE_RETENTION.toMillis()), waiting ? "1" : "0",
						(wait.isZero() || signal == null) ? "0" : waiterTtl);
				if (((Long) reply.get(0)) == 1L) {
					waiting = false;
					this.metrics.acquired(System.nanoTime() - start);
					return Optional.of(held(name, key, waitersKey, owner, (Long) reply.get(1), lease, renew));
				}
				waiting |= signal != null && !wait.isZero();
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					this.metrics.timedOut(System.nanoTime() - start);
					return Optional.empty();
				}
				if (signal == null) {
					// Listen, and be counted as a waiter by the next try, before waiting: a release between
					// that try and the wait then leaves a notice.
					signal = this.notices.register(name);
					continue;
				}
				long holderLeft = Math.max(1, (Long) reply.get(1)) * 1_000_000L;
				long nap = Math.min(left, Math.min(this.settings.pollInterval().toNanos(), holderLeft));
				if (!signal.await(nap) && nap == this.settings.pollInterval().toNanos()) {
					this.metrics.polled();
				}
			}
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
		finally {
			if (signal != null) {
				this.notices.unregister(name);
			}
			if (waiting) {
				stopWaiting(waitersKey);
			}
		}
	}

	private void stopWaiting(String waitersKey) {
		try {
			this.redis.execute(this.scripts.stopWaiting(), List.of(waitersKey));
		}
		catch (DataAccessException ex) {
			// The counter expires by itself; until then a few releases publish needlessly.
		}
	}

	private LockLease held(String name, String key, String waitersKey, String owner, long token, Duration lease,
			boolean renew) {
		RedisLockLease acquired = new RedisLockLease(this, name, key, waitersKey, owner, token);
		if (renew) {
			long period = Math.max(1, lease.toMillis() / 3);
			acquired.renewWith(this.watchdog.scheduleAtFixedRate(() -> acquired.renew(lease), period, period,
					TimeUnit.MILLISECONDS));
		}
		this.held.put(name, new Holder(Thread.currentThread(), acquired));
		return acquired;
	}

	void forget(RedisLockLease lease) {
		this.held.computeIfPresent(lease.name(), (name, holder) -> (holder.lease == lease) ? null : holder);
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

	LockScripts scripts() {
		return this.scripts;
	}

	LockMetrics metrics() {
		return this.metrics;
	}

	String channel() {
		return this.channel;
	}

	private static void checkName(String name) {
		if (name == null || name.isEmpty() || name.indexOf('}') >= 0) {
			throw new IllegalArgumentException("A lock name must be non-empty and must not contain '}', was '" + name + "'");
		}
	}

	/** Stops renewing leases and listening for release notices. Held locks expire with their leases. */
	@Override
	public void close() {
		this.watchdog.shutdownNow();
		this.notices.close();
	}

	/** The lease a thread holds on a name; nested acquisitions by that thread re-enter it. */
	static final class Holder {

		private final Thread thread;

		private final RedisLockLease lease;

		Holder(Thread thread, RedisLockLease lease) {
			this.thread = thread;
			this.lease = lease;
		}

		RedisLockLease lease() {
			return this.lease;
		}

	}

}
