package dev.redisstarter.messaging;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The bounded stop every consumer's handler pool goes through: no new work, the running handlers get the shutdown
 * wait to finish, and those still running then are interrupted, so that a stop never hangs on a handler. What the
 * interrupted handlers held is the consumer's to give back (a job released, a stream entry left pending).
 */
public final class HandlerPool {

	private HandlerPool() {
	}

	/**
	 * Stops a pool within a wait.
	 * @param pool the handlers' pool
	 * @param wait how long running handlers may take to finish
	 * @return true when every handler finished within the wait, false when some were interrupted (or the stopping
	 * thread was)
	 */
	public static boolean finish(ExecutorService pool, Duration wait) {
		return finish(pool, wait, () -> {
		});
	}

	/**
	 * Stops a pool within a wait, telling the consumer before its handlers are interrupted.
	 * @param pool the handlers' pool
	 * @param wait how long running handlers may take to finish
	 * @param beforeInterrupting runs once the wait is over and handlers still run, before they are interrupted (so
	 * that a handler that sees the interrupt can tell a stop from its own failure)
	 * @return true when every handler finished within the wait, false when some were interrupted (or the stopping
	 * thread was)
	 */
	public static boolean finish(ExecutorService pool, Duration wait, Runnable beforeInterrupting) {
		pool.shutdown();
		try {
			if (pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				return true;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		beforeInterrupting.run();
		pool.shutdownNow();
		return false;
	}

}
