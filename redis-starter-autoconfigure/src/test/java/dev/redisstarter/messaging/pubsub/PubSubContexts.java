package dev.redisstarter.messaging.pubsub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterListenerAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterMessagingAutoConfiguration;
import dev.redisstarter.test.RedisDeployment;

/** Application contexts with the starter's messaging, standing in for application instances. */
final class PubSubContexts {

	private PubSubContexts() {
	}

	static ApplicationContextRunner runner(RedisDeployment redis) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterListenerAutoConfiguration.class, RedisStarterMessagingAutoConfiguration.class))
			.withPropertyValues(redis.propertyValues())
			.withPropertyValues("redis.starter.resilience.liveness-interval=1s");
	}

	/** What a listener received, in order, safe to read from the test thread. */
	static final class Received<T> {

		private final List<T> items = Collections.synchronizedList(new ArrayList<>());

		void add(T item) {
			this.items.add(item);
		}

		List<T> snapshot() {
			synchronized (this.items) {
				return new ArrayList<>(this.items);
			}
		}

		int size() {
			return this.items.size();
		}

	}

	/** An error handler that keeps what it saw. */
	static final class RecordingErrorHandler implements ListenerErrorHandler {

		final List<ListenerFailure> failures = new CopyOnWriteArrayList<>();

		@Override
		public void handle(ListenerFailure failure) {
			this.failures.add(failure);
		}

	}

}
