package dev.redisstarter.lock;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The waiters of this instance for each lock name, in arrival order: only the first of them waits in Redis (counted
 * among the lock's waiters, woken by release notices); the others wait here, behind it, and take its place once it has
 * the lock or gives up. So a contended lock costs Redis one waiter per instance instead of one per thread, and
 * hand-offs inside this instance go in order. An entry exists only while a name has waiters here.
 */
final class LocalQueue {

	private final ConcurrentHashMap<String, Line> lines = new ConcurrentHashMap<>();

	/**
	 * Waits for this thread's turn to wait in Redis for a lock.
	 * @param name the lock's name
	 * @param nanos how long to wait at most
	 * @return the turn, to {@link Turn#leave() leave} in any case; {@link Turn#taken()} says whether it came in time
	 * @throws InterruptedException when interrupted while waiting (the turn is left)
	 */
	Turn enter(String name, long nanos) throws InterruptedException {
		Line line = this.lines.compute(name, (key, existing) -> {
			Line joined = (existing != null) ? existing : new Line();
			joined.users++;
			return joined;
		});
		Turn turn = new Turn(name, line);
		try {
			turn.taken = line.permit.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			turn.leave();
			throw ex;
		}
		return turn;
	}

	/** How many threads of this instance wait for their turn on a lock (behind the one waiting in Redis). */
	int queued(String name) {
		Line line = this.lines.get(name);
		return (line != null) ? line.permit.getQueueLength() : 0;
	}

	/** One lock name's line: one permit, taken by the waiter of this instance that waits in Redis. */
	private static final class Line {

		/** Fair: waiters of this instance take their turns in arrival order. */
		private final Semaphore permit = new Semaphore(1, true);

		/** Guarded by the map's compute. */
		private int users;

	}

	/** One caller's place in a line; left exactly once, by the thread that entered. */
	final class Turn {

		private final String name;

		private final Line line;

		private boolean taken;

		private boolean left;

		private Turn(String name, Line line) {
			this.name = name;
			this.line = line;
		}

		boolean taken() {
			return this.taken;
		}

		/** Passes the turn to the next waiter of this instance, and drops the line when nobody else is in it. */
		void leave() {
			if (this.left) {
				return;
			}
			this.left = true;
			if (this.taken) {
				this.line.permit.release();
			}
			LocalQueue.this.lines.computeIfPresent(this.name, (key, line) -> (--line.users == 0) ? null : line);
		}

	}

}
