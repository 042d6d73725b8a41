package dev.redisstarter.lock;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.Masking;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Permits of a {@link RedisSemaphore} in Redis: knows its holder's id, extends and gives back only that holder's
 * permits, and stops its renewal when released or lost.
 */
final class RedisPermitLease implements PermitLease, LeaseLife.Holder {

	private static final Log logger = LogFactory.getLog(RedisPermitLease.class);

	private final RedisSemaphore semaphore;

	private final String name;

	private final byte[] key;

	private final String holder;

	private final int permits;

	private final LeaseLife life;

	RedisPermitLease(RedisSemaphore semaphore, String name, byte[] key, String holder, int permits) {
		this.semaphore = semaphore;
		this.name = name;
		this.key = key;
		this.holder = holder;
		this.permits = permits;
		this.life = new LeaseLife(this, semaphore.metrics());
	}

	@Override
	public String subject() {
		return "The lease of " + this.permits + " permit" + ((this.permits == 1) ? "" : "s") + " of semaphore "
				+ Masking.mask(this.name);
	}

	@Override
	public void forgetHold() {
		// The semaphore keeps no record of its holds here.
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
	public int permits() {
		return this.permits;
	}

	@Override
	public boolean isHeld() {
		return !this.life.isReleased() && call(this.semaphore.scripts().held());
	}

	@Override
	public boolean extend(Duration lease) {
		return !this.life.isReleased()
				&& call(this.semaphore.scripts().extend(), utf8(Long.toString(Math.max(1, lease.toMillis()))));
	}

	@Override
	public boolean release() {
		if (!this.life.release()) {
			return false;
		}
		boolean held = LeaseLife.releaseEvenIfInterrupted(
				() -> this.semaphore.release(this.name, this.key, this.holder, this.permits));
		if (!held) {
			this.semaphore.metrics().releasedByNonOwner();
		}
		return held;
	}

	@Override
	public void close() {
		try {
			release();
		}
		catch (LockUnavailableException ex) {
			logger.warn(ex.getMessage() + "; the permits come back when their lease ends");
		}
	}

	private boolean call(dev.redisstarter.core.LuaScript<?> script, byte[]... extra) {
		byte[][] args = new byte[2 + extra.length][];
		args[0] = utf8(this.holder);
		args[1] = utf8(Integer.toString(this.permits));
		System.arraycopy(extra, 0, args, 2, extra.length);
		try {
			Long reply = this.semaphore.script(script, this.key, args);
			return reply != null && reply == 1L;
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(this.name, ex);
		}
	}

	@Override
	public String toString() {
		return "PermitLease[" + Masking.mask(this.name) + ", " + this.permits + " permits]";
	}

}
