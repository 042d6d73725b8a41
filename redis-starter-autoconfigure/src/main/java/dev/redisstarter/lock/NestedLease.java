package dev.redisstarter.lock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A nested acquisition by a thread that already holds a covering lease (a read or write lease of a read/write lock):
 * no round trip, and closing it only makes it unusable; the outermost lease releases in Redis.
 */
final class NestedLease implements LockLease {

	private final LockLease outer;

	private final AtomicBoolean released = new AtomicBoolean();

	NestedLease(LockLease outer) {
		this.outer = outer;
	}

	@Override
	public String name() {
		return this.outer.name();
	}

	@Override
	public long fencingToken() {
		return this.outer.fencingToken();
	}

	@Override
	public boolean isHeld() {
		return !this.released.get() && this.outer.isHeld();
	}

	@Override
	public boolean extend(Duration lease) {
		return !this.released.get() && this.outer.extend(lease);
	}

	@Override
	public boolean release() {
		return this.released.compareAndSet(false, true);
	}

	@Override
	public void close() {
		release();
	}

}
