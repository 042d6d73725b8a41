package dev.redisstarter.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.Masking;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * One read or write lease of a {@link RedisReadWriteLock} in Redis: knows its holder's id, extends and releases only
 * as that holder, and stops its renewal when released or lost.
 */
final class ReadWriteLease implements LockLease, LeaseLife.Holder {

	private static final Log logger = LogFactory.getLog(ReadWriteLease.class);

	/** Which side of the lock a lease holds. */
	enum Mode {

		/** Shared with other readers. */
		READ,

		/** Alone. */
		WRITE;

		String label() {
			return (this == READ) ? "read" : "write";
		}

	}

	private final RedisReadWriteLock lock;

	private final String name;

	private final Mode mode;

	private final byte[] writeKey;

	private final byte[] readersKey;

	private final String owner;

	private final long fencingToken;

	private final Thread thread = Thread.currentThread();

	private final LeaseLife life;

	ReadWriteLease(RedisReadWriteLock lock, String name, Mode mode, byte[][] keys, String owner, long fencingToken) {
		this.lock = lock;
		this.name = name;
		this.mode = mode;
		this.writeKey = keys[0];
		this.readersKey = keys[1];
		this.owner = owner;
		this.fencingToken = fencingToken;
		this.life = new LeaseLife(this, lock.metrics());
	}

	@Override
	public String subject() {
		return "The " + this.mode.label() + " lease of lock " + Masking.mask(this.name);
	}

	@Override
	public void forgetHold() {
		this.lock.forget(this);
	}

	Mode mode() {
		return this.mode;
	}

	/** The thread that acquired it, whose nested acquisitions re-enter it. */
	Thread thread() {
		return this.thread;
	}

	/** Whether this lease still holds in Redis (one round trip); false once released or lost. */
	boolean stillOwned() {
		return !this.life.isReleased() && isHeld();
	}

	void renewWith(LeaseKeeper.Renewal renewal) {
		this.life.renewWith(renewal);
	}

	/** One renewal by the lease keeper: false once released or lost (renewal stops). */
	boolean renew(Duration lease) {
		return this.life.renew(() -> extend(lease));
	}

	/** The bound on renewal ended it: most likely a lease the application forgot to close. */
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
			if (this.mode == Mode.WRITE) {
				byte[] holder = this.lock.calls().call((redis) -> redis.get(this.writeKey));
				return holder != null && this.owner.equals(new String(holder, StandardCharsets.UTF_8));
			}
			return one(this.lock.script(this.lock.scripts().readHeld(), this.readersKey, utf8(this.owner)));
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
		byte[] millis = utf8(Long.toString(Math.max(1, lease.toMillis())));
		try {
			return one((this.mode == Mode.WRITE)
					? this.lock.script(this.lock.scripts().writeExtend(), this.writeKey, utf8(this.owner), millis)
					: this.lock.script(this.lock.scripts().readExtend(), this.readersKey, utf8(this.owner), millis));
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
		this.lock.forget(this);
		boolean held = LeaseLife.releaseEvenIfInterrupted(
				() -> this.lock.releaseInRedis(this.name, this.mode, this.writeKey, this.readersKey, this.owner));
		if (!held) {
			this.lock.metrics().releasedByNonOwner();
		}
		return held;
	}

	@Override
	public void close() {
		try {
			release();
		}
		catch (LockUnavailableException ex) {
			logger.warn(ex.getMessage() + "; the lease ends by itself");
		}
	}

	private static boolean one(@Nullable Long reply) {
		return reply != null && reply == 1L;
	}

	@Override
	public String toString() {
		return "LockLease[" + this.mode.label() + " " + Masking.mask(this.name) + ", token " + this.fencingToken + "]";
	}

}
