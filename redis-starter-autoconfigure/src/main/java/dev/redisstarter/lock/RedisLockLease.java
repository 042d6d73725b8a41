package dev.redisstarter.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * One acquisition in Redis: knows its owner id, releases and extends only as that owner, and stops its
 * renewal when released or lost.
 */
final class RedisLockLease implements LockLease, LeaseLife.Holder {

	private static final Log logger = LogFactory.getLog(RedisLockLease.class);

	private static final byte[] YES = { '1' };

	private static final byte[] NO = { '0' };

	private final RedisDistributedLock lock;

	private final String name;

	private final byte[] key;

	private final byte[] fenceKey;

	private final byte[] waitersKey;

	private final String owner;

	private final long fencingToken;

	private final LeaseLife life;

	/** {@code keys}: the lock, its fence and its waiter count, as {@code acquire.lua} takes them. */
	RedisLockLease(RedisDistributedLock lock, String name, byte[][] keys, String owner, long fencingToken) {
		this.lock = lock;
		this.name = name;
		this.key = keys[0];
		this.fenceKey = keys[1];
		this.waitersKey = keys[2];
		this.owner = owner;
		this.fencingToken = fencingToken;
		this.life = new LeaseLife(this, lock.metrics());
	}

	@Override
	public String subject() {
		return "Lock " + Masking.mask(this.name);
	}

	@Override
	public void forgetHold() {
		this.lock.forget(this);
	}

	/** Whether this lease still holds its lock in Redis (one {@code GET}); false once released or lost. */
	boolean stillOwned() {
		return !this.life.isReleased() && isHeld();
	}

	void renewWith(LeaseKeeper.Renewal renewal) {
		this.life.renewWith(renewal);
	}

	/**
	 * One renewal by the lock's lease keeper: extends the lease.
	 * @param lease the lease to extend to
	 * @return false once the lock is released or lost (renewal stops); a failure to reach Redis is thrown and tried
	 * again at the next period while the lease lasts
	 */
	boolean renew(Duration lease) {
		return this.life.renew(() -> extend(lease));
	}

	/** The lease keeper's bound on renewal ended it: most likely a lease the application forgot to close. */
	void renewedTooLong(Duration maxRenewal) {
		this.life.renewedTooLong(maxRenewal);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public long fencingToken() {
		return this.fencingToken;
	}

	@Override
	public boolean isHeld() {
		if (this.life.isReleased()) {
			return false;
		}
		try {
			byte[] holder = this.lock.calls().call((redis) -> redis.get(this.key));
			return holder != null && this.owner.equals(new String(holder, StandardCharsets.UTF_8));
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(this.name, ex);
		}
	}

	@Override
	public boolean extend(Duration lease) {
		if (this.life.isReleased()) {
			return false;
		}
		try {
			Long extended = this.lock.script(this.lock.scripts().extend(), 1, this.key, utf8(this.owner),
					utf8(Long.toString(Math.max(1, lease.toMillis()))));
			return extended != null && extended == 1L;
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(this.name, ex);
		}
	}

	@Override
	public boolean release() {
		if (!this.life.release()) {
			return false;
		}
		try {
			return LeaseLife.releaseEvenIfInterrupted(this::releaseInRedis);
		}
		finally {
			// Forgotten once released in Redis: until then this instance's next waiter knows a thread here holds the
			// lock and waits for its hand-off instead of trying.
			this.lock.forget(this);
		}
	}

	private boolean releaseInRedis() {
		LockLine.Offer offer = this.lock.claimOffer(this.name);
		if (offer != null) {
			return handOver(offer);
		}
		Long released;
		long sentAt = System.nanoTime();
		try {
			released = this.lock.script(this.lock.scripts().release(), 2, this.key, this.waitersKey, utf8(this.owner),
					this.lock.channelBytes(), utf8(this.name));
		}
		catch (DataAccessException ex) {
			this.lock.releaseLater(this.name, this.key, this.waitersKey, this.owner);
			throw new LockUnavailableException(this.name, ex);
		}
		if (!this.lock.released(this.name, sentAt, released)) {
			this.lock.metrics().releasedByNonOwner();
			return false;
		}
		return true;
	}

	/**
	 * Releases by handing the lock to the waiter of this instance that offered to take it ({@code handoff.lua}): one
	 * script instead of a release, a notice and the waiter's acquisition. The offer is completed on every path, so
	 * that the waiter never waits on it for longer than this call.
	 */
	private boolean handOver(LockLine.Offer offer) {
		long token = 0;
		boolean tryAgain = true;
		DataAccessException failure = null;
		long sentAt = System.nanoTime();
		try {
			RedisCalls calls = this.lock.calls();
			boolean counted = offer.claimedCounted();
			byte[][] keysAndArgs = { this.key, this.fenceKey, this.waitersKey, utf8(this.owner), utf8(offer.owner()),
					utf8(Long.toString(offer.leaseMillis())), RedisDistributedLock.FENCE_RETENTION_MILLIS,
					this.lock.channelBytes(), utf8(this.name), counted ? YES : NO };
			// A reply after the deadline, when the waiter has given up, is acted on at once: a lock handed to that
			// waiter is released then, not held by nobody for the waiter's lease.
			List<Object> reply = calls.run((redis) -> calls.awaitScript(redis,
					calls.<List<Object>>startScript(redis, this.lock.scripts().handoff(), ScriptOutputType.MULTI, 3,
							keysAndArgs),
					(late) -> this.lock.handOverAnsweredLate(this.name, this.key, this.waitersKey, this.owner,
							offer.owner(), counted, sentAt, late)));
			long code = (Long) reply.get(0);
			if (code == 1) {
				token = (Long) reply.get(1);
				return true;
			}
			// Released to every instance (4, 3: waiters of others wait, or the waiter's own try counted it meanwhile),
			// or not owned (0): the waiter tries as usual (on the notice, as every instance's waiter does).
			tryAgain = code == 0;
			if (code == 0) {
				this.lock.metrics().releasedByNonOwner();
				return false;
			}
			return this.lock.released(this.name, sentAt, code);
		}
		catch (DataAccessException ex) {
			// The script may have run (a late reply): the lock may be the waiter's now. Both releases are owner-checked
			// and sent again once Redis answers, and the waiter gives up with this failure rather than try again under
			// an owner id that may hold the lock.
			failure = ex;
			this.lock.releaseLater(this.name, this.key, this.waitersKey, this.owner);
			this.lock.releaseLater(this.name, this.key, this.waitersKey, offer.owner());
			throw new LockUnavailableException(this.name, ex);
		}
		finally {
			offer.complete(token, tryAgain, failure);
		}
	}

	@Override
	public void close() {
		try {
			release();
		}
		catch (LockUnavailableException ex) {
			logger.warn(ex.getMessage() + "; the lock frees itself when its lease ends");
		}
	}

	@Override
	public String toString() {
		return "LockLease[" + Masking.mask(this.name) + ", token " + this.fencingToken + "]";
	}

}
