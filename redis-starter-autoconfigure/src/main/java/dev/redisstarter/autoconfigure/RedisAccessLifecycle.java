package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.RedisAccess;

/**
 * Follows the connection factory's lifecycle: when the context stops (or a test context is paused), the
 * factory's client closes every connection it opened, so the starter suspends its access just before; when it
 * starts again, the access reconnects with the factory's new client. Each start waits a little for the connection. Its phase is one above the factory's, so it
 * starts after it and stops before it.
 */
final class RedisAccessLifecycle implements SmartLifecycle {

	private final RedisAccess access;

	private final int phase;

	private final Duration startupWait;

	private volatile boolean running;

	RedisAccessLifecycle(RedisAccess access, LettuceConnectionFactory connectionFactory, Duration startupWait) {
		this.access = access;
		this.startupWait = startupWait;
		this.phase = (connectionFactory.getPhase() == Integer.MAX_VALUE) ? Integer.MAX_VALUE
				: connectionFactory.getPhase() + 1;
	}

	/**
	 * Resumes a suspended access, and waits up to the start-up wait for its connection, so that the first
	 * requests find it ready (an unreachable Redis refuses at once and costs no wait).
	 */
	@Override
	public void start() {
		if (this.access.isSuspended()) {
			this.access.resume();
		}
		this.running = true;
		// At the first start and after each resume (a restarted context), so that the first requests find the
		// connection ready rather than racing its opening.
		if (!this.startupWait.isZero()) {
			this.access.awaitConnection(this.startupWait);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.access.suspend();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
