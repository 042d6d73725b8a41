package dev.redisstarter.lock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.KeyTemplate;
import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisCircuitBreaker;
import dev.redisstarter.core.RedisPermissionException;
import dev.redisstarter.core.RedisUnavailableException;

import static dev.redisstarter.core.ScriptArgs.utf8;

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

	static final byte[] FENCE_RETENTION_MILLIS = utf8(Long.toString(FENCE_RETENTION.toMillis()));

	private static final byte[] YES = { '1' };

	private static final byte[] NO = { '0' };

	/** How long a lock call waits for Redis by default ({@code redis.starter.lock.timeout}). */
	public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(500);

	/** What release notices are called in logs and health. */
	private static final String RELEASE_NOTICES = "lock release notices";

	private final RedisCalls calls;

	private final KeyNaming keys;

	private final LockSettings settings;

	private final LockMetrics metrics;

	private final LockScripts scripts = LockScripts.load();

	private final String channel;

	private final LockNotices notices;

	private final LeaseKeeper leases;

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicLong acquisitions = new AtomicLong();

	private final Map<String, Holder> held = new ConcurrentHashMap<>();

	private final AbandonedAcquisitions abandoned;

	/** Releases abandoned acquisitions when the circuit closes; removed on close. */
	private final Consumer<RedisCircuitBreaker.State> circuitClosed;

	/** Releases abandoned acquisitions on a new connection; removed on close. */
	private final Consumer<RedisClusterAsyncCommands<byte[], byte[]>> connected;

	/** The lock's keys around its name, encoded once: {@code <prefix>lock:{<name>}} and its fence and waiters. */
	private final byte[] channelBytes;

	private final KeyTemplate lockKeys;

	private final KeyTemplate fenceKeys;

	private final KeyTemplate waitersKeys;

	/**
	 * A lock service.
	 * @param connectionFactory the connection factory (the release-notice subscription takes a connection of its own)
	 * @param keys the key naming
	 * @param settings leases, waits, renewal and polling
	 * @param metrics where acquisitions are counted
	 */
	public RedisDistributedLock(RedisConnectionFactory connectionFactory, KeyNaming keys, LockSettings settings,
			LockMetrics metrics) {
		this(RedisAccess.of(Objects.requireNonNull(connectionFactory, "connectionFactory must not be null"))
			.calls(Feature.LOCK, DEFAULT_DEADLINE), keys, settings, metrics);
	}

	/**
	 * A lock service on the starter's shared access.
	 * @param calls the lock calls, each bounded by the lock deadline (the release-notice subscription takes a
	 * connection of its own from the same client)
	 * @param keys the key naming
	 * @param settings leases, waits, renewal and polling
	 * @param metrics where acquisitions are counted
	 */
	public RedisDistributedLock(RedisCalls calls, KeyNaming keys, LockSettings settings, LockMetrics metrics) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.channel = keys.prefix() + Feature.LOCK.segment() + ":released";
		this.channelBytes = utf8(this.channel);
		this.lockKeys = keys.template(Feature.LOCK);
		this.fenceKeys = keys.template(Feature.LOCK, "fence");
		this.waitersKeys = keys.template(Feature.LOCK, "waiters");
		this.leases = new LeaseKeeper("lock-renewal");
		this.notices = new LockNotices(calls.access(), this.channel);
		this.abandoned = new AbandonedAcquisitions(calls.access().background(), settings.pollInterval(), this::release);
		this.circuitClosed = (state) -> {
			if (state == RedisCircuitBreaker.State.CLOSED) {
				this.abandoned.releaseSoon();
			}
		};
		this.connected = (redis) -> this.abandoned.releaseSoon();
		calls.access().circuit().onTransition(this.circuitClosed);
		calls.access().onConnect(this.connected);
	}

	@Override
	public Optional<LockLease> tryAcquire(String name, Duration wait) {
		return acquire(name, wait, this.settings.defaultLease(), this.settings.renewal());
	}

	@Override
	public Optional<LockLease> tryAcquire(String name, Duration wait, Duration lease) {
		if (lease == null || lease.toMillis() < 1) {
			throw new IllegalArgumentException("The lease of lock " + Masking.mask(name) + " must be at least 1 ms, was " + lease);
		}
		return acquire(name, wait, lease, false);
	}

	private Optional<LockLease> acquire(String name, Duration wait, Duration lease, boolean renew) {
		checkName(name);
		this.keys.checkPart(Feature.LOCK, name);
		if (wait == null || wait.isNegative()) {
			throw new IllegalArgumentException("The wait for lock " + Masking.mask(name) + " must not be negative, was " + wait);
		}
		Holder holder = this.held.get(name);
		if (holder != null && holder.thread == Thread.currentThread()) {
			// Re-entry only while the lease still owns the lock: its lease may have ended, and another owner
			// taken it, since this thread acquired it.
			if (holder.lease().stillOwned()) {
				this.metrics.reentered();
				return Optional.of(new ReentrantHold(holder));
			}
			this.metrics.leaseLost();
			forget(holder.lease());
		}
		long start = System.nanoTime();
		byte[] tag = utf8(name);
		byte[][] scriptKeys = { this.lockKeys.key(tag), this.fenceKeys.key(tag), this.waitersKeys.key(tag) };
		String owner = this.instanceId + ":" + this.acquisitions.incrementAndGet();
		if (wait.isZero()) {
			// A try without waiting may come before this instance's waiters, as ReentrantLock.tryLock() does, and is
			// never counted among the waiters.
			AcquireReply reply;
			try {
				reply = tryAcquire(name, scriptKeys, owner, lease, false, "0");
			}
			catch (DataAccessException ex) {
				throw new LockUnavailableException(name, ex);
			}
			// {2}: a run of this try whose reply was lost took the lock (the client sent it again after a reconnect).
			if (!reply.acquired() && !reply.handedOver()) {
				this.metrics.timedOut(System.nanoTime() - start);
				return Optional.empty();
			}
			return acquired(name, scriptKeys, owner, reply.fencingToken(), lease, renew, start);
		}
		// The caller joins this instance's line for the name and listens for release notices before its first try;
		// from the moment it joins, it offers to take the lock over from a release here once it is first in line.
		LockLine signal = this.notices.register(name);
		LockLine.Offer offer = signal.join(owner, Math.max(1, lease.toMillis()));
		try {
			return acquireInLine(name, scriptKeys, owner, wait, lease, renew, start, signal, offer);
		}
		finally {
			long unsettled = signal.leave(offer);
			this.notices.unregister(name);
			if (unsettled > 0) {
				abandonHandedOver(name, scriptKeys, owner, lease);
			}
		}
	}

	/**
	 * A lock handed to a caller that is failing: released, owner-checked, as a late acquisition is, rather than held
	 * by nobody for its lease.
	 */
	private void abandonHandedOver(String name, byte[][] scriptKeys, String owner, Duration lease) {
		this.metrics.abandoned();
		this.abandoned.add(new AbandonedAcquisitions.Abandoned(name, scriptKeys[0], scriptKeys[2], owner,
				System.nanoTime() + lease.toNanos()));
		this.abandoned.releaseSoon();
	}

	/**
	 * Waits for this caller's turn in this instance's line, then tries the lock in Redis and, while it is held, waits
	 * for its release (a notice, a local release or the poll interval) and tries again, until the wait ends: the one
	 * waiter of this instance in Redis for this name. A release here may hand the lock over at any time from the turn
	 * on, also before this caller's first try.
	 */
	private Optional<LockLease> acquireInLine(String name, byte[][] scriptKeys, String owner, Duration wait,
			Duration lease, boolean renew, long start, LockLine signal, LockLine.Offer offer) {
		long deadline = start + wait.toNanos();
		// Counted among the waiters in Redis for as long as this call may still wait, plus a margin.
		String waiterTtl = Long.toString(Math.max(1, wait.toMillis()) + 1000);
		boolean waiting = false;
		boolean failed = false;
		boolean firstTry = true;
		try {
			if (!signal.awaitTurn(offer, wait.toNanos())) {
				return givenUp(name, scriptKeys, owner, lease, renew, start, signal, offer, false);
			}
			while (true) {
				long handedOver = signal.settle(offer);
				if (handedOver > 0) {
					// handoff.lua took this waiter out of the count, or it was not counted.
					waiting = false;
					return acquired(name, scriptKeys, owner, handedOver, lease, renew, start);
				}
				DataAccessException handOverFailure = offer.failure();
				if (handOverFailure != null) {
					// handoff.lua may have taken this waiter out of the count: its late reply decides whether the
					// waiter still has to leave it (handOverAnsweredLate), so that it is not left twice (another
					// instance's waiter counted meanwhile would be uncounted, and not notified); a waiter not counted
					// when its offer was claimed leaves the count itself.
					waiting = waiting && !offer.claimedCounted();
					failed = true;
					throw new LockUnavailableException(name, handOverFailure);
				}
				if (firstTry && this.held.containsKey(name)) {
					// A thread of this instance holds the lock: its release hands it over to this waiter, whose own
					// try now would only count it in Redis and turn that release into one to every instance. So it
					// waits for that release first (a hand-off, a ticket, or the poll interval: a holder may have lost
					// its lease), then tries.
					firstTry = false;
					long left = deadline - System.nanoTime();
					if (left > 0) {
						signal.await(offer, Math.min(left, this.settings.pollInterval().toNanos()));
						continue;
					}
				}
				firstTry = false;
				AcquireReply reply = tryAcquire(name, scriptKeys, owner, lease, waiting, waiterTtl);
				if (reply.acquired()) {
					waiting = false;
					return acquired(name, scriptKeys, owner, reply.fencingToken(), lease, renew, start);
				}
				if (reply.handedOver()) {
					// This owner holds the lock: a release here handed it over before the try ran (settled now), or a
					// run of this same try whose reply was lost took it (the client sent it again after a reconnect).
					long token = signal.settle(offer);
					if (token > 0) {
						waiting = false;
						return acquired(name, scriptKeys, owner, token, lease, renew, start);
					}
					if (offer.failure() != null) {
						// A hand-off that failed: its late reply or a later release frees the lock (handled above).
						continue;
					}
					waiting = false;
					return acquired(name, scriptKeys, owner, reply.fencingToken(), lease, renew, start);
				}
				waiting = true;
				signal.counted(offer);
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					Optional<LockLease> result = givenUp(name, scriptKeys, owner, lease, renew, start, signal, offer,
							false);
					waiting = stillCounted(waiting, result, offer);
					return result;
				}
				long holderLeft = Math.max(1, reply.holderLeftMillis()) * 1_000_000L;
				long nap = Math.min(left, Math.min(this.settings.pollInterval().toNanos(), holderLeft));
				if (!signal.await(offer, nap) && nap == this.settings.pollInterval().toNanos()) {
					this.metrics.polled();
				}
			}
		}
		catch (InterruptedException ex) {
			Optional<LockLease> result = givenUp(name, scriptKeys, owner, lease, renew, start, signal, offer, true);
			waiting = stillCounted(waiting, result, offer);
			return result;
		}
		catch (DataAccessException ex) {
			if (ex.getCause() instanceof InterruptedException) {
				// Interrupted while waiting for Redis, not a failure of Redis: given up as on any other interrupt (a
				// try answered later is undone by its late reply).
				Thread.interrupted();
				Optional<LockLease> result = givenUp(name, scriptKeys, owner, lease, renew, start, signal, offer, true);
				waiting = stillCounted(waiting, result, offer);
				return result;
			}
			failed = true;
			// A release here may have claimed this waiter's offer meanwhile: its outcome decides the count.
			long handedOver = signal.leave(offer);
			if (handedOver > 0) {
				waiting = false;
				abandonHandedOver(name, scriptKeys, owner, lease);
			}
			else if (offer.failure() != null) {
				waiting = waiting && !offer.claimedCounted();
			}
			throw new LockUnavailableException(name, ex);
		}
		finally {
			if (waiting) {
				// An interrupted caller leaves the count all the same: its interrupt would cancel the command before it
				// is sent, leaving it counted for the rest of its wait (every hand-off then a release to all).
				boolean interrupted = Thread.interrupted();
				try {
					stopWaiting(scriptKeys[2], !failed);
				}
				finally {
					if (interrupted) {
						Thread.currentThread().interrupt();
					}
				}
			}
		}
	}

	/**
	 * A caller whose wait ended or who was interrupted leaves the line; a hand-off to it under way is waited for, and
	 * a lock handed over is this caller's (with its interrupt flag set, if interrupted), never left unowned.
	 */
	private Optional<LockLease> givenUp(String name, byte[][] scriptKeys, String owner, Duration lease, boolean renew,
			long start, LockLine signal, LockLine.Offer offer, boolean interrupted) {
		long handedOver = signal.leave(offer);
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (handedOver > 0) {
			return acquired(name, scriptKeys, owner, handedOver, lease, renew, start);
		}
		if (!interrupted) {
			this.metrics.timedOut(System.nanoTime() - start);
		}
		return Optional.empty();
	}

	/**
	 * Whether a waiter that gave up still has to leave the count itself: not when a lock was handed over (handoff.lua
	 * took it out of the count, or it was not counted when claimed), nor when a hand-off to it that was claimed while
	 * it was counted failed (the late reply decides, so that it is not left twice).
	 */
	private static boolean stillCounted(boolean waiting, Optional<LockLease> result, LockLine.Offer offer) {
		return waiting && result.isEmpty() && !(offer.failure() != null && offer.claimedCounted());
	}

	private Optional<LockLease> acquired(String name, byte[][] scriptKeys, String owner, long token, Duration lease,
			boolean renew, long start) {
		this.metrics.acquired(System.nanoTime() - start);
		this.abandoned.releaseSoon();
		return Optional.of(held(name, scriptKeys, owner, token, lease, renew));
	}

	/**
	 * Takes the offer of this instance's waiter for a lock, for a release here to hand the lock over to.
	 * @param name the lock's name
	 * @return the offer, to complete in any case, or {@code null} when no waiter here offered
	 */
	LockLine.@Nullable Offer claimOffer(String name) {
		return this.notices.claimOffer(name);
	}

	/**
	 * One try of {@code acquire.lua}. A lock taken by a reply that came after the deadline, when this caller has
	 * already given up, is released at once (owner-checked), so it is never held by nobody for its lease.
	 */
	private AcquireReply tryAcquire(String name, byte[][] scriptKeys, String owner, Duration lease, boolean waiting,
			String waiterTtl) {
		byte[][] keysAndArgs = { scriptKeys[0], scriptKeys[1], scriptKeys[2], utf8(owner),
				utf8(Long.toString(lease.toMillis())), FENCE_RETENTION_MILLIS, waiting ? YES : NO,
				"0".equals(waiterTtl) ? NO : utf8(waiterTtl) };
		AbandonedAcquisitions.Abandoned ifLate = new AbandonedAcquisitions.Abandoned(name, scriptKeys[0], scriptKeys[2],
				owner, System.nanoTime() + lease.toNanos());
		// A failed try by a caller not yet counted counts it (acquire.lua's INCR): one that came after the caller gave
		// up is undone here, as the caller does not know it was counted.
		boolean counts = !waiting && !"0".equals(waiterTtl);
		try {
			return AcquireReply.of(this.calls.run((redis) -> this.calls.awaitScript(redis,
					this.calls.<List<Object>>startScript(redis, this.scripts.acquire(), ScriptOutputType.MULTI, 3,
							keysAndArgs),
					(late) -> {
						AcquireReply reply = AcquireReply.of(late);
						if (reply.acquired()) {
							this.metrics.abandoned();
							release(ifLate);
						}
						else {
							this.abandoned.forget(owner);
							if (counts && reply.code() == 0) {
								// Awaited (this is a background thread): a script sent without waiting is lost on
								// NOSCRIPT.
								stopWaiting(scriptKeys[2], true);
							}
						}
					})));
		}
		catch (DataAccessException ex) {
			if (!(ex.getCause() instanceof InterruptedException) && !(ex instanceof RedisUnavailableException)) {
				// No answer: Redis may have run it, and the reply may never come (past the deadline on a replaced
				// connection, or lost with a reset one): released, owner-checked, once Redis answers again. (An
				// interrupted caller's reply still comes, to the late reply above; a refused call was never sent.)
				this.abandoned.add(ifLate);
				this.abandoned.retryLater();
			}
			throw ex;
		}
	}

	/** Releases an abandoned acquisition (owner-checked); returns whether Redis was reached. */
	private boolean release(AbandonedAcquisitions.Abandoned abandoned) {
		long sentAt = System.nanoTime();
		try {
			released(abandoned.name(), sentAt, this.calls.script(this.scripts.release(), ScriptOutputType.INTEGER, 2, abandoned.key(),
					abandoned.waitersKey(), utf8(abandoned.owner()), utf8(this.channel), utf8(abandoned.name())));
			this.abandoned.forget(abandoned.owner());
			return true;
		}
		catch (DataAccessException ex) {
			// Tried again once Redis answers; the lock frees itself when its lease ends at the latest.
			return false;
		}
		catch (RedisPermissionException ex) {
			// Redis answered with a refusal (logged once where it is recorded): trying again would be refused too,
			// and the lock frees itself when its lease ends.
			this.abandoned.forget(abandoned.owner());
			return true;
		}
	}

	/**
	 * The reply of a hand-off that came after its deadline: the releaser and the waiter have both given up, and
	 * both owners wait to be released later. A lock handed to the waiter is released now (owner-checked), as a
	 * late acquisition is; the other owner needs no release any more.
	 */
	void handOverAnsweredLate(String name, byte[] key, byte[] waitersKey, String releaser, String waiter,
			boolean waiterCounted, long sentAt, @Nullable List<Object> reply) {
		long code = (reply != null && !reply.isEmpty() && reply.get(0) instanceof Long value) ? value : -1;
		if (code < 0) {
			return;
		}
		this.abandoned.forget(releaser);
		if (code == 1) {
			this.metrics.abandoned();
			release(new AbandonedAcquisitions.Abandoned(name, key, waitersKey, waiter,
					System.nanoTime() + FENCE_RETENTION.toNanos()));
			return;
		}
		this.abandoned.forget(waiter);
		if (waiterCounted) {
			// The waiter, counted when its offer was claimed, left it to this reply to take it out of the count.
			// Awaited (this is a background thread): a script sent without waiting is lost on NOSCRIPT.
			stopWaiting(waitersKey, true);
		}
		if (code != 0) {
			released(name, sentAt, code);
		}
	}

	/**
	 * Reads the reply of {@code release.lua}: whether the lock was released, recording a release notice that Redis
	 * refused (the user's channel rules) for health instead of failing the caller, whose release has taken effect.
	 */
	boolean released(String name, long sentAt, @Nullable Long reply) {
		long code = (reply != null) ? reply : 0;
		if (code != 0 && code != 4) {
			// At most one waiter in Redis (this instance's, if any): wake it now rather than when the notice comes
			// back. With waiters of other instances too (4), every instance's waiter races on the notice instead, so
			// that this instance does not keep the lock to itself.
			this.notices.releasedHere(name, code == 2, sentAt);
		}
		if (code == 3) {
			this.calls.access().permissions().noticeRefused(RELEASE_NOTICES, this.channel,
					"PUBLISH refused by the user's channel rules",
					"waiters for a lock in other instances are not woken and find it free only when they next poll");
		}
		else if (code == 2 || code == 4) {
			this.calls.access().permissions().noticeSent(RELEASE_NOTICES);
		}
		return code != 0;
	}

	/**
	 * Runs a lock script with an integer reply.
	 */
	@Nullable Long script(LuaScript<?> script, int keyCount, byte[]... keysAndArgs) {
		return this.calls.script(script, ScriptOutputType.INTEGER, keyCount, keysAndArgs);
	}

	/**
	 * Leaves the waiter count. After a failure, without waiting for the reply: the caller has already spent
	 * its deadline, and the counter expires by itself if the command is lost.
	 */
	private void stopWaiting(byte[] waitersKey, boolean awaitReply) {
		try {
			if (awaitReply) {
				script(this.scripts.stopWaiting(), 1, waitersKey);
			}
			else {
				this.calls.run((redis) -> redis.evalsha(this.scripts.stopWaiting().sha1(), ScriptOutputType.INTEGER,
						new byte[][] { waitersKey }));
			}
		}
		catch (DataAccessException ex) {
			// The counter expires by itself; until then a few releases publish needlessly.
		}
	}

	private LockLease held(String name, byte[][] keys, String owner, long token, Duration lease, boolean renew) {
		RedisLockLease acquired = new RedisLockLease(this, name, keys, owner, token);
		if (renew) {
			Duration maxRenewal = this.settings.maxRenewal();
			acquired.renewWith(this.leases.keep("lock " + Masking.mask(name), LeaseKeeper.periodFor(lease), maxRenewal,
					() -> acquired.renew(lease), () -> acquired.renewedTooLong(maxRenewal)));
		}
		this.held.put(name, new Holder(Thread.currentThread(), acquired));
		return acquired;
	}

	/**
	 * A release that could not reach Redis: sent again, owner-checked, once Redis answers (the lease ends by
	 * itself at the latest).
	 */
	void releaseLater(String name, byte[] key, byte[] waitersKey, String owner) {
		this.abandoned.add(new AbandonedAcquisitions.Abandoned(name, key, waitersKey, owner,
				System.nanoTime() + FENCE_RETENTION.toNanos()));
		this.abandoned.retryLater();
	}

	void forget(RedisLockLease lease) {
		this.held.computeIfPresent(lease.name(), (name, holder) -> (holder.lease == lease) ? null : holder);
	}

	/** Whether this instance's waiter in Redis for a lock has offered to take it over from a release here. */
	boolean waiterOffered(String name) {
		return this.notices.hasOffer(name);
	}

	/** Whether a thread of this instance waits for a lock (for tests). */
	boolean waitingHere(String name) {
		return this.notices.hasWaiters(name);
	}

	/** How many threads of this instance wait behind this instance's waiter in Redis for a lock. */
	int queuedLocally(String name) {
		return this.notices.queued(name);
	}

	RedisCalls calls() {
		return this.calls;
	}

	LockSettings settings() {
		return this.settings;
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

	byte[] channelBytes() {
		return this.channelBytes;
	}

	private static void checkName(String name) {
		if (name == null || name.isEmpty() || name.indexOf('}') >= 0) {
			throw new IllegalArgumentException("A lock name must be non-empty and must not contain '}', was " + Masking.mask(name));
		}
	}

	/** Stops renewing leases and listening for release notices. Held locks expire with their leases. */
	@Override
	public void close() {
		this.calls.access().circuit().removeTransitionListener(this.circuitClosed);
		this.calls.access().removeConnectListener(this.connected);
		this.abandoned.close();
		this.leases.close();
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
