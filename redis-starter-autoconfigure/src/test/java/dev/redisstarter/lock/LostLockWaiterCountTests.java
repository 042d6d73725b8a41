package dev.redisstarter.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A waiter count lost in Redis (a restart without persistence, an eviction, a failover) while waiters wait: they are
 * counted again, so that another instance's hand-offs do not pass them by.
 */
class LostLockWaiterCountTests {

	private final LocalRedisServer server = LocalRedisServer.builder().build();

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<RedisAccess> accesses = new ArrayList<>();

	private final List<RedisDistributedLock> locks = new ArrayList<>();

	@BeforeEach
	void start() {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.locks.forEach(RedisDistributedLock::close);
		this.accesses.forEach(RedisAccess::close);
		this.factories.forEach(LettuceConnectionFactory::destroy);
		this.server.close();
	}

	private RedisDistributedLock instance(LockSettings settings) {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(this.server, Duration.ofSeconds(2));
		this.factories.add(factory);
		RedisAccess access = RedisAccess.of(factory);
		this.accesses.add(access);
		RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofSeconds(1)),
				new KeyNaming(""), settings,
				new LockMetrics(new SimpleMeterRegistry()));
		this.locks.add(lock);
		return lock;
	}

	@Test
	void anotherInstancesWaiterIsCountedAgainAfterTheWaiterCountWasLostAndIsNotStarvedByHandOffs() throws Exception {
		RedisDistributedLock busy = instance(LockSettings.DEFAULTS);
		RedisDistributedLock other = instance(LockSettings.DEFAULTS);
		LockLease held = busy.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
		CompletableFuture<Optional<LockLease>> there = CompletableFuture
			.supplyAsync(() -> other.tryAcquire("job", Duration.ofSeconds(6), Duration.ofSeconds(30)));
		CompletableFuture<Void> here = CompletableFuture.runAsync(
				() -> busy.tryAcquire("job", Duration.ofSeconds(6), Duration.ofSeconds(30)).ifPresent(LockLease::release));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> "2".equals(String.valueOf(this.server.command("GET", "lock:{job}:waiters"))));
		// Lost as on a restart without persistence, an eviction or a failover: both waiters still wait.
		this.server.command("DEL", "lock:{job}:waiters");
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int t = 0; t < 8; t++) {
				pool.submit(() -> {
					while (!stop.get()) {
						busy.tryAcquire("job", Duration.ofSeconds(30)).ifPresent(LockLease::release);
					}
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> busy.queuedLocally("job") > 0);
			held.release();
			here.get(5, TimeUnit.SECONDS);

			Optional<LockLease> taken = there.get(10, TimeUnit.SECONDS);
			assertThat(taken).as("the other instance's waiter, while this one hands the lock round").isPresent();
			taken.get().release();
		}
		finally {
			stop.set(true);
			pool.shutdown();
			assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		}
	}

}
