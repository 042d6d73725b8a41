package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterStreamsAutoConfiguration;
import dev.redisstarter.test.RedisDeployment;

/** Application contexts with the starter's streams, standing in for application instances. */
final class StreamContexts {

	private StreamContexts() {
	}

	static ApplicationContextRunner runner(RedisDeployment redis) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterStreamsAutoConfiguration.class))
			.withPropertyValues(redis.propertyValues())
			.withPropertyValues("redis.starter.stream.defaults.claim-interval=500ms",
					"redis.starter.stream.defaults.read-block=200ms",
					"redis.starter.stream.defaults.backoff.initial=50ms",
					"redis.starter.stream.defaults.backoff.max=200ms",
					"redis.starter.stream.shutdown-wait=2s");
	}

	/** What a listener received, safe to read from the test thread. */
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

	/** The number of entries pending in a group (XPENDING summary). */
	static long pending(LettuceConnectionFactory factory, String key, String group) {
		try (StatefulRedisConnection<String, String> connection = io.lettuce.core.RedisClient.class
			.cast(factory.getNativeClient())
			.connect()) {
			return connection.sync().xpending(key, group, Range.create("-", "+"), Limit.from(100_000)).size();
		}
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
