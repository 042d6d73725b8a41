package dev.redisstarter.lock;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Wakes local waiters when any instance releases a lock: one subscription (on a connection of its own) to the
 * channel every release publishes the lock's name on. A signal exists only while a lock has waiters here.
 * A waiter reads the signal's generation before it tries the lock, so a notice that arrives between a failed
 * try and the wait is not lost.
 */
final class LockNotices implements MessageListener, AutoCloseable {

	private final RedisMessageListenerContainer container;

	private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

	LockNotices(RedisConnectionFactory connectionFactory, String channel) {
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(connectionFactory);
		this.container.addMessageListener(this, new ChannelTopic(channel));
		this.container.afterPropertiesSet();
		this.container.start();
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		Signal signal = this.signals.get(new String(message.getBody(), StandardCharsets.UTF_8));
		if (signal != null) {
			signal.fire();
		}
	}

	Signal register(String name) {
		return this.signals.compute(name, (key, signal) -> {
			Signal registered = (signal != null) ? signal : new Signal();
			registered.waiters++;
			return registered;
		});
	}

	void unregister(String name) {
		this.signals.computeIfPresent(name, (key, signal) -> (--signal.waiters == 0) ? null : signal);
	}

	@Override
	public void close() {
		try {
			this.container.destroy();
		}
		catch (Exception ex) {
			// closing: nothing to do
		}
	}

	/** Release notices of one lock; {@code waiters} is guarded by the map's compute. */
	static final class Signal {

		private long generation;

		int waiters;

		synchronized long generation() {
			return this.generation;
		}

		synchronized void fire() {
			this.generation++;
			notifyAll();
		}

		/** Waits until a notice newer than {@code seen} arrives; returns whether one did. */
		synchronized boolean await(long seen, long nanos) throws InterruptedException {
			long deadline = System.nanoTime() + nanos;
			while (this.generation == seen) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			return true;
		}

	}

}
