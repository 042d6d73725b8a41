package dev.redisstarter.lock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.backoff.BackOffExecution;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.KeyTemplate;
import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.lock.ReadWriteLease.Mode;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * {@link DistributedReadWriteLock} on Redis. Keys (one Cluster slot per lock, through the hash tag {@code {<name>}}):
 * <ul>
 * <li>{@code <prefix>lock:{<name>}:rw:write}: string holding the writer's id, expiring with its lease.</li>
 * <li>{@code <prefix>lock:{<name>}:rw:readers}: sorted set of reader id to the end of its lease (server ms),
 * expiring with the longest lease; readers whose lease ended are purged by every acquisition, so a crashed reader
 * never blocks writers for longer than its lease.</li>
 * <li>{@code <prefix>lock:{<name>}:rw:writers}: sorted set of waiting writer id to when it stops counting as waiting (server ms),
 * expiring with the longest wait: while it has a live entry, {@code read-acquire.lua} refuses new readers. Each try
 * of a waiting writer renews its entry for about two poll intervals and two deadlines only, so a writer that died
 * while waiting stops holding readers off soon after.</li>
 * <li>{@code <prefix>lock:{<name>}:rw:fence}: the last write fencing token, kept one day.</li>
 * </ul>
 * Commands: {@code read-acquire.lua}, {@code read-extend.lua}, {@code read-release.lua}, {@code read-held.lua};
 * {@code write-acquire.lua}, {@code extend.lua}, {@code write-release.lua}, {@code GET} (is held), {@code ZREM} (a
 * writer stops waiting). Waiters poll ({@link PolledWait}): no release notices. One daemon thread renews this
 * instance's renewed leases; close this object to stop it.
 */
public final class RedisReadWriteLock implements DistributedReadWriteLock, AutoCloseable {

	private final RedisCalls calls;

	private final KeyNaming keys;

	private final LockSettings settings;

	private final LockMetrics metrics;

	private final ReadWriteScripts scripts = ReadWriteScripts.load();

	private final LeaseKeeper leases = new LeaseKeeper("rwlock-renewal");

	private final PolledWait waits;

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicLong acquisitions = new AtomicLong();

	private final Map<HoldKey, ReadWriteLease> holds = new ConcurrentHashMap<>();

	private final KeyTemplate writeKeys;

	private final KeyTemplate readersKeys;

	private final KeyTemplate writersKeys;

	private final KeyTemplate fenceKeys;

	/**
	 * A read/write lock service with connections from a factory.
	 * @param connectionFactory the connection factory
	 * @param keys the key naming
	 * @param settings leases, waits, renewal and the longest pause between tries ({@code pollInterval})
	 * @param metrics where acquisitions are counted
	 */
	public RedisReadWriteLock(RedisConnectionFactory connectionFactory, KeyNaming keys, LockSettings settings,
			LockMetrics metrics) {
		this(RedisAccess.of(Objects.requireNonNull(connectionFactory, "connectionFactory must not be null"))
			.calls(Feature.LOCK, RedisDistributedLock.DEFAULT_DEADLINE), keys, settings, metrics);
	}

	/**
	 * A read/write lock service on the starter's shared access.
	 * @param calls the lock calls, each bounded by the lock deadline
	 * @param keys the key naming
	 * @param settings leases, waits, renewal and the longest pause between tries ({@code pollInterval})
	 * @param metrics where acquisitions are counted
	 */
	public RedisReadWriteLock(RedisCalls calls, KeyNaming keys, LockSettings settings, LockMetrics metrics) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.waits = new PolledWait(settings.pollInterval());
		this.writeKeys = keys.template(Feature.LOCK, "rw", "write");
		this.readersKeys = keys.template(Feature.LOCK, "rw", "readers");
		this.writersKeys = keys.template(Feature.LOCK, "rw", "writers");
		this.fenceKeys = keys.template(Feature.LOCK, "rw", "fence");
	}

	@Override
	public Optional<LockLease> tryReadLock(String name, Duration wait) {
		return acquire(name, Mode.READ, wait, this.settings.defaultLease(), this.settings.renewal());
	}

	@Override
	public Optional<LockLease> tryReadLock(String name, Duration wait, Duration lease) {
		return acquire(name, Mode.READ, wait, checkLease(name, lease), false);
	}

	@Override
	public Optional<LockLease> tryWriteLock(String name, Duration wait) {
		return acquire(name, Mode.WRITE, wait, this.settings.defaultLease(), this.settings.renewal());
	}

	@Override
	public Optional<LockLease> tryWriteLock(String name, Duration wait, Duration lease) {
		return acquire(name, Mode.WRITE, wait, checkLease(name, lease), false);
	}

	private Optional<LockLease> acquire(String name, Mode mode, Duration wait, Duration lease, boolean renew) {
		checkName(name);
		this.keys.checkPart(Feature.LOCK, name);
		if (wait == null || wait.isNegative()) {
			throw new IllegalArgumentException("The wait for lock " + Masking.mask(name) + " must not be negative, was " + wait);
		}
		ReadWriteLease hold = this.holds.get(new HoldKey(name, Thread.currentThread()));
		if (hold != null) {
			if (hold.mode() == Mode.READ && mode == Mode.WRITE) {
				throw new IllegalStateException("This thread holds a read lease of lock " + Masking.mask(name)
						+ ", which cannot be upgraded to the write lease (waiting would deadlock against itself): release"
						+ " the read lease first");
			}
			// Re-entry only while the lease still holds: it may have ended since this thread acquired it.
			if (hold.stillOwned()) {
				this.metrics.reentered();
				return Optional.of(new NestedLease(hold));
			}
			this.metrics.leaseLost();
			forget(hold);
		}
		byte[] tag = utf8(name);
		byte[][] lockKeys = { this.writeKeys.key(tag), this.readersKeys.key(tag), this.writersKeys.key(tag),
				this.fenceKeys.key(tag) };
		String owner = this.instanceId + ":" + this.acquisitions.incrementAndGet();
		long start = System.nanoTime();
		long deadline = start + wait.toNanos();
		BackOffExecution pauses = this.waits.start();
		// A writer that may wait is recorded among the waiting writers by its first refused try (stopping new readers)
		// until it acquires or leaves.
		boolean waitingWriter = false;
		try {
			while (true) {
				if (Thread.currentThread().isInterrupted()) {
					// Cancelled: gives up without trying, as tryLock(timeout) does (the flag is kept).
					return Optional.empty();
				}
				long seen = this.waits.releases(name);
				long left = deadline - System.nanoTime();
				long waitingMillis = (mode == Mode.WRITE && !wait.isZero()) ? waitingMillis(left) : 0;
				AcquireReply reply = tryOnce(name, mode, lockKeys, owner, lease, waitingMillis);
				if (reply.acquired()) {
					waitingWriter = false;
					this.metrics.acquired(System.nanoTime() - start);
					return Optional.of(held(name, mode, lockKeys, owner, reply.value(), lease, renew));
				}
				waitingWriter = waitingMillis > 0;
				left = deadline - System.nanoTime();
				if (left <= 0) {
					this.metrics.timedOut(System.nanoTime() - start);
					return Optional.empty();
				}
				this.waits.pause(name, seen, PolledWait.next(pauses, reply.holderLeftMillis(), left));
			}
		}
		catch (DataAccessException ex) {
			// A waiting writer's entry ends soon by itself (see waitingMillis): no second call that would double the time to fail.
			waitingWriter = false;
			if (Thread.currentThread().isInterrupted()) {
				// Interrupted while the reply was on its way: a lease it grants is released when it comes (tryOnce).
				return Optional.empty();
			}
			throw new LockUnavailableException(name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
		finally {
			if (waitingWriter) {
				stopWaiting(name, lockKeys[2], owner);
			}
		}
	}

	/**
	 * How long a refused writer counts as waiting from this try: the rest of its wait, but no longer than the next try
	 * is sure to come (a pause of at most {@code pollInterval}, and a round trip within the deadline) with as much
	 * again to spare, so that a writer that died or lost Redis while waiting holds new readers off for about a second,
	 * not for the rest of a long wait. Each try renews it.
	 */
	private long waitingMillis(long leftNanos) {
		long deadline = this.calls.deadline().toMillis();
		long beat = 2 * this.settings.pollInterval().toMillis() + deadline;
		return Math.min(Math.max(1, leftNanos / 1_000_000), beat) + deadline;
	}

	/**
	 * One try. A lease granted by a reply that came after the deadline or after the caller was interrupted, when the
	 * caller has given up, is released at once (owner-checked); with no reply at all it ends with its lease.
	 */
	private AcquireReply tryOnce(String name, Mode mode, byte[][] lockKeys, String owner, Duration lease,
			long waitingMillis) {
		byte[] leaseMillis = utf8(Long.toString(lease.toMillis()));
		LuaScript<?> script = (mode == Mode.WRITE) ? this.scripts.writeAcquire() : this.scripts.readAcquire();
		byte[][] keysAndArgs = (mode == Mode.WRITE)
				? new byte[][] { lockKeys[0], lockKeys[1], lockKeys[2], lockKeys[3], utf8(owner), leaseMillis,
						RedisDistributedLock.FENCE_RETENTION_MILLIS, utf8(Long.toString(waitingMillis)) }
				: new byte[][] { lockKeys[0], lockKeys[1], lockKeys[2], lockKeys[3], utf8(owner), leaseMillis };
		return AcquireReply.of(this.calls.run((redis) -> this.calls.awaitScript(redis,
				this.calls.<List<Object>>startScript(redis, script, ScriptOutputType.MULTI, 4, keysAndArgs), (late) -> {
					if (AcquireReply.of(late).acquired()) {
						this.metrics.abandoned();
						releaseQuietly(name, mode, lockKeys, owner);
					}
					else if (waitingMillis > 0) {
						stopWaiting(name, lockKeys[2], owner);
					}
				})));
	}

	private void releaseQuietly(String name, Mode mode, byte[][] lockKeys, String owner) {
		try {
			releaseInRedis(name, mode, lockKeys[0], lockKeys[1], owner);
		}
		catch (LockUnavailableException ex) {
			// The lease ends by itself.
		}
	}

	/** Owner-checked release; whether the lease was still held. */
	boolean releaseInRedis(String name, Mode mode, byte[] writeKey, byte[] readersKey, String owner) {
		try {
			Long released = (mode == Mode.WRITE) ? script(this.scripts.writeRelease(), writeKey, utf8(owner))
					: script(this.scripts.readRelease(), readersKey, utf8(owner));
			return released != null && released == 1L;
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(name, ex);
		}
		finally {
			this.waits.released(name);
		}
	}

	/** A writer that gives up stops blocking new readers at once (else its entry ends by itself soon after). */
	private void stopWaiting(String name, byte[] writersKey, String owner) {
		boolean interrupted = Thread.interrupted();
		try {
			this.calls.call((redis) -> redis.zrem(writersKey, utf8(owner)));
		}
		catch (DataAccessException ex) {
			// The entry ends by itself soon after (see waitingMillis).
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			this.waits.released(name);
		}
	}

	private ReadWriteLease held(String name, Mode mode, byte[][] lockKeys, String owner, long token, Duration lease,
			boolean renew) {
		ReadWriteLease acquired = new ReadWriteLease(this, name, mode, lockKeys, owner, token);
		if (renew) {
			Duration maxRenewal = this.settings.maxRenewal();
			acquired.renewWith(this.leases.keep(mode.label() + " lock " + Masking.mask(name), LeaseKeeper.periodFor(lease),
					maxRenewal, () -> acquired.renew(lease), () -> acquired.renewedTooLong(maxRenewal)));
		}
		this.holds.put(new HoldKey(name, acquired.thread()), acquired);
		return acquired;
	}

	/** Runs a script with one key and an integer reply. */
	@Nullable Long script(LuaScript<?> script, byte[] key, byte[]... args) {
		byte[][] keysAndArgs = new byte[args.length + 1][];
		keysAndArgs[0] = key;
		System.arraycopy(args, 0, keysAndArgs, 1, args.length);
		return this.calls.script(script, ScriptOutputType.INTEGER, 1, keysAndArgs);
	}

	void forget(ReadWriteLease lease) {
		this.holds.remove(new HoldKey(lease.name(), lease.thread()), lease);
	}

	RedisCalls calls() {
		return this.calls;
	}

	ReadWriteScripts scripts() {
		return this.scripts;
	}

	LockMetrics metrics() {
		return this.metrics;
	}

	private static Duration checkLease(String name, Duration lease) {
		if (lease == null || lease.toMillis() < 1) {
			throw new IllegalArgumentException("The lease of lock " + Masking.mask(name) + " must be at least 1 ms, was " + lease);
		}
		return lease;
	}

	private static void checkName(String name) {
		if (name == null || name.isEmpty() || name.indexOf('}') >= 0) {
			throw new IllegalArgumentException("A lock name must be non-empty and must not contain '}', was " + Masking.mask(name));
		}
	}

	/** Stops renewing leases. Held leases end with their lease. */
	@Override
	public void close() {
		this.leases.close();
	}

	/** A thread's hold on a lock's name: its nested acquisitions re-enter it. */
	private record HoldKey(String name, Thread thread) {
	}

}
