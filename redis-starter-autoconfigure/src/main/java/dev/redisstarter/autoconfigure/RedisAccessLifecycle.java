package dev.redisstarter.autoconfigure;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.RedisAccess;

/**
 * Follows the connection factory's lifecycle: when the context stops (or a test context is paused), the
 * factory's client closes every connection it opened, so the starter suspends its access just before; when it
 * starts again, the access reconnects with the factory's new client. Its phase is one above the factory's, so it
 * starts after it and stops before it.
 */
final class RedisAccessLifecycle implements SmartLifecycle {

	private final RedisAccess access;

	private final int phase;

	RedisAccessLifecycle(RedisAccess access, LettuceConnectionFactory connectionFactory) {
		this.access = access;
		this.phase = (connectionFactory.getPhase() == Integer.MAX_VALUE) ? Integer.MAX_VALUE
				: connectionFactory.getPhase() + 1;
	}

	@Override
	public void start() {
		if (this.access.isSuspended()) {
			this.access.resume();
		}
	}

	@Override
	public void stop() {
		this.access.suspend();
	}

	@Override
	public boolean isRunning() {
		return !this.access.isSuspended();
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
