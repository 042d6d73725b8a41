package dev.redisstarter.review;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

class ReviewLockWaitTests {

	@Test
	void waitingLockWhenRedisFreezes() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, meters).start();
			access.awaitConnection(Duration.ofSeconds(10));
			RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(500)),
					new KeyNaming("rv:"), LockSettings.DEFAULTS, new LockMetrics(meters));
			try {
				lock.tryAcquire("warm", Duration.ZERO).orElseThrow().close();
				server.command("SET", "rv:lock:{w}", "someone-else", "PX", "60000");
				long[] failedAt = new long[1];
				Thread waiter = new Thread(() -> {
					try {
						lock.tryAcquire("w", Duration.ofSeconds(10));
					}
					catch (RuntimeException ex) {
						failedAt[0] = System.nanoTime();
						System.out.println("RV waiter got " + ex.getClass().getSimpleName());
					}
				});
				waiter.start();
				Thread.sleep(400);
				long frozeAt = System.nanoTime();
				server.freeze();
				waiter.join(15000);
				System.out.println("RV waiter failed " + (failedAt[0] - frozeAt) / 1_000_000 + " ms after the freeze; lock deadlines expired "
						+ meters.get("redis.starter.lock.deadlines.expired").counter().count());
			}
			finally {
				server.thaw();
				lock.close();
				access.close();
				factory.destroy();
			}
		}
	}

}
