package dev.redisstarter.core;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.CachePolicy;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.NearCachePolicy;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Locks and cache services closed on a shared {@link RedisAccess} (a context refreshed in tests, a component
 * replaced at run time) leave none of their listeners on it: kept, each would keep its closed owner reachable, and
 * run on every connection and circuit change, for as long as the access lives.
 */
class ClosedComponentsLeaveNoListenersTests {

	private static final CacheSettings NEAR = CacheSettings.DEFAULTS
		.withDefaults(CachePolicy.DEFAULTS.withNear(NearCachePolicy.OFF.withEnabled(true)));

	private LocalRedisServer server;

	private LettuceConnectionFactory factory;

	private RedisAccess access;

	@BeforeEach
	void start() {
		this.server = LocalRedisServer.builder().build().start();
		this.factory = ConnectionFactories.lettuce(this.server, Duration.ofSeconds(2));
		this.access = new RedisAccess(this.factory, ResilienceSettings.DEFAULTS, null, "listeners:").start();
		assertThat(this.access.awaitConnection(Duration.ofSeconds(10))).isTrue();
	}

	@AfterEach
	void stop() {
		this.access.close();
		this.factory.destroy();
		this.server.close();
	}

	private RedisDistributedLock lock() {
		return new RedisDistributedLock(this.access.calls(Feature.LOCK, Duration.ofMillis(500)),
				new KeyNaming("listeners:"), LockSettings.DEFAULTS, new LockMetrics(null));
	}

	private RedisCacheService cache() {
		return new RedisCacheService(this.access.calls(Feature.CACHE, Duration.ofMillis(300)),
				new KeyNaming("listeners:"), new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)),
				NEAR, new CacheMetrics(null));
	}

	@Test
	void closedLocksAndCachesLeaveNoCircuitNorConnectListenersBehind() throws Exception {
		RedisAccess access = this.access;
		int circuitBefore = listeners(access.circuit(), "listeners");
		int connectBefore = connectListeners(access);
		for (int i = 0; i < 20; i++) {
			RedisDistributedLock lock = lock();
			RedisCacheService cache = cache();
			assertThat(listeners(access.circuit(), "listeners")).as("while open").isGreaterThan(circuitBefore);
			assertThat(connectListeners(access)).as("while open").isGreaterThan(connectBefore);
			lock.close();
			cache.close();
		}
		assertThat(listeners(access.circuit(), "listeners")).as("circuit listeners left").isEqualTo(circuitBefore);
		assertThat(connectListeners(access)).as("connect listeners left").isEqualTo(connectBefore);
	}

	@Test
	void componentsClosedTwiceOrWhileTheCircuitTellsItsListenersLeaveTheOthersListeningAndNoneBehind() throws Exception {
		RedisAccess access = this.access;
		int circuitBefore = listeners(access.circuit(), "listeners");
		int connectBefore = connectListeners(access);
		// Told before the lock's and the cache's listeners: closes them while the circuit goes through its list.
		AtomicReference<AutoCloseable[]> toClose = new AtomicReference<>();
		Consumer<RedisCircuitBreaker.State> closer = (state) -> {
			AutoCloseable[] components = (state == RedisCircuitBreaker.State.CLOSED) ? toClose.getAndSet(null) : null;
			if (components != null) {
				for (AutoCloseable component : components) {
					try {
						component.close();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
		};
		access.circuit().onTransition(closer);
		RedisDistributedLock lock = lock();
		RedisCacheService cache = cache();
		// Told after them: still told, although listeners before it left the list meanwhile.
		CountDownLatch closings = new CountDownLatch(1);
		Consumer<RedisCircuitBreaker.State> after = (state) -> {
			if (state == RedisCircuitBreaker.State.CLOSED) {
				closings.countDown();
			}
		};
		access.circuit().onTransition(after);
		toClose.set(new AutoCloseable[] { lock, cache });
		access.circuit().open();
		// Whichever closes it first (this thread or the connection's probe), the listeners are told once.
		access.circuit().close();
		assertThat(closings.await(10, TimeUnit.SECONDS)).as("the listener after the closed ones is told").isTrue();
		assertThat(toClose.get()).as("closed during the notification").isNull();
		access.circuit().removeTransitionListener(closer);
		access.circuit().removeTransitionListener(after);
		assertThat(listeners(access.circuit(), "listeners")).as("circuit listeners left").isEqualTo(circuitBefore);
		assertThat(connectListeners(access)).as("connect listeners left").isEqualTo(connectBefore);

		assertThatNoException().as("closed twice").isThrownBy(() -> {
			lock.close();
			cache.close();
		});
		assertThat(listeners(access.circuit(), "listeners")).as("after a second close").isEqualTo(circuitBefore);
		assertThat(connectListeners(access)).as("after a second close").isEqualTo(connectBefore);
	}

	private static int connectListeners(RedisAccess access) throws ReflectiveOperationException {
		java.lang.reflect.Field connection = RedisAccess.class.getDeclaredField("connection");
		connection.setAccessible(true);
		return listeners(connection.get(access), "connectListeners");
	}

	private static int listeners(Object owner, String field) throws ReflectiveOperationException {
		java.lang.reflect.Field listeners = owner.getClass().getDeclaredField(field);
		listeners.setAccessible(true);
		return ((Collection<?>) listeners.get(owner)).size();
	}

}
