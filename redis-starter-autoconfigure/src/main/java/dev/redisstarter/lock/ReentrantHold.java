package dev.redisstarter.lock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A nested acquisition by the thread that already holds the lock: no round trip, and closing it gives back
 * one level; the outermost lease releases the lock in Redis.
 */
final class ReentrantHold implements LockLease {

	private final RedisDistributedLock.Holder holder;

	private final AtomicBoolean released = new AtomicBoolean();

	ReentrantHold(RedisDistributedLock.Holder holder) {
		this.holder = holder;
	}

	@Override
	public String name() {
		return this.holder.lease().name();
	}

	@Override
	public long fencingToken() {
		return this.holder.lease().fencingToken();
	}

	@Override
	public boolean isHeld() {
		return !this.released.get() && this.holder.lease().isHeld();
	}

	@Override
	public boolean extend(Duration lease) {
		return !this.released.get() && this.holder.lease().extend(lease);
	}

	@Override
	public boolean release() {
		// Only the outermost lease releases the lock in Redis; a nested one just stops being usable.
		return this.released.compareAndSet(false, true);
	}

	@Override
	public void close() {
		release();
	}

}
