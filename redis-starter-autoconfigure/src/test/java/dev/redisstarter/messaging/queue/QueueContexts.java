package dev.redisstarter.messaging.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterQueueAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.test.RedisDeployment;

/** Application contexts with the starter's job queue, standing in for application instances. */
final class QueueContexts {

	private QueueContexts() {
	}

	static ApplicationContextRunner runner(RedisDeployment redis) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterRateLimitAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class))
			.withPropertyValues(redis.propertyValues())
			.withPropertyValues("redis.starter.queue.defaults.backoff.initial=50ms",
					"redis.starter.queue.defaults.backoff.max=200ms", "redis.starter.queue.defaults.stalled-interval=500ms",
					"redis.starter.queue.shutdown-wait=2s");
	}

	/** What a handler received, safe to read from the test thread. */
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

}
