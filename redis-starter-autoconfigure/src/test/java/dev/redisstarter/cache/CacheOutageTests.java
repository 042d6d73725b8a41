package dev.redisstarter.cache;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one Redis, one of them behind a proxy that can cut it off: invalidations that fail during
 * an outage reach Redis once it answers, and a subscription that goes silent is noticed.
 */
class CacheOutageTests {

	private static final KeyNaming KEYS = new KeyNaming("outage:");

	private final LocalRedisServer server = LocalRedisServer.builder().build().start();

	private final FaultProxy proxy = FaultProxy.inFrontOf(this.server);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private LettuceConnectionFactory cutOffFactory;

	private LettuceConnectionFactory directFactory;

	private RedisAccess cutOffAccess;

	private RedisAccess directAccess;

	private RedisCacheService cutOff;

	private RedisCacheService direct;

	private void start(ResilienceSettings settings) {
		this.cutOffFactory = ConnectionFactories.lettuce(this.proxy.host(), this.proxy.port());
		this.directFactory = ConnectionFactories.lettuce(this.server.host(), this.server.port());
		this.cutOffAccess = new RedisAccess(this.cutOffFactory, settings, this.meters).start();
		this.directAccess = new RedisAccess(this.directFactory, settings, null).start();
		this.cutOff = cache(this.cutOffAccess);
		this.direct = cache(this.directAccess);
		await("both subscriptions are up", Duration.ofSeconds(10),
				() -> this.cutOff.tagVersionsTrusted() && this.direct.tagVersionsTrusted());
	}

	private RedisCacheService cache(RedisAccess access) {
		access.awaitConnection(Duration.ofSeconds(10));
		return new RedisCacheService(access.calls(Feature.CACHE, Duration.ofMillis(300)), KEYS,
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), CacheSettings.DEFAULTS,
				new CacheMetrics(this.meters));
	}

	@AfterEach
	void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { this.cutOff, this.direct, this.cutOffAccess, this.directAccess }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// closing
			}
		}
		if (this.cutOffFactory != null) {
			this.cutOffFactory.destroy();
			this.directFactory.destroy();
		}
		this.proxy.close();
		this.server.close();
	}

	@Test
	void anInvalidationThatFailedDuringAnOutageReachesRedisOnceItAnswers() {
		start(ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(300)));
		this.direct.set("product:7", "old name", Duration.ofMinutes(10), "product:7");
		assertThat(this.cutOff.get("product:7", String.class)).contains("old name");

		this.proxy.set(Fault.RESET);
		long start = System.nanoTime();
		assertThat(this.cutOff.invalidateTags("product:7")).as("deferred, not thrown at the caller").isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(this.meters.get(CacheMetrics.INVALIDATIONS).tag("outcome", "deferred").counter().count()).isEqualTo(1);
		assertThat(this.direct.get("product:7", String.class)).as("the outage hid the invalidation so far")
			.contains("old name");

		this.proxy.pass();
		await("the deferred invalidation reaches Redis", Duration.ofSeconds(10),
				() -> this.direct.get("product:7", String.class).isEmpty());
		// Counted just after the invalidation is sent: the read above can see its effect first.
		await("the retry is counted", Duration.ofSeconds(5),
				() -> this.meters.find(CacheMetrics.INVALIDATIONS).tag("outcome", "retried").counter() != null);
		assertThat(this.meters.get(CacheMetrics.INVALIDATIONS).tag("outcome", "retried").counter().count()).isEqualTo(1);
	}

	@Test
	void whileAnInvalidationWaitsThisInstanceDoesNotServeEntriesWithItsTag() {
		// Retries every 5 s: the read below comes before the first.
		start(ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofSeconds(5)));
		this.direct.set("product:8", "old name", Duration.ofMinutes(10), "product:8");
		this.proxy.set(Fault.RESET);
		this.cutOff.invalidateTags("product:8");
		// Redis answers again, but the retry has not run yet: the entry carrying the tag is not served here.
		this.proxy.pass();
		await("reconnected", Duration.ofSeconds(5), this.cutOffAccess::isConnected);
		assertThat(this.cutOff.get("product:9", String.class)).as("Redis answers this instance again").isEmpty();
		int[] loads = { 0 };
		String read = this.cutOff.getOrLoad("product:8", String.class, Duration.ofMinutes(1), () -> {
			loads[0]++;
			return "new name";
		});
		assertThat(read).isEqualTo("new name");
		assertThat(loads[0]).isEqualTo(1);
		assertThat(this.meters.find(CacheMetrics.INVALIDATIONS).tag("outcome", "retried").counter())
			.as("the invalidation has not reached Redis yet: the miss came from the pending tag")
			.isNull();
	}

	@Test
	void aSilentSubscriptionIsNoticedAndLocalVersionsAreDistrustedWithinTheLivenessInterval() {
		start(ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(300))
			.withLiveness(Duration.ofMillis(500), Duration.ofMillis(300)));
		this.proxy.set(Fault.BLACK_HOLE);
		long start = System.nanoTime();
		await("local versions distrusted", Duration.ofSeconds(3), () -> !this.cutOff.tagVersionsTrusted());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within the interval plus the PING timeout")
			.isLessThan(Duration.ofMillis(500 + 300 + 700));

		this.proxy.setForNewConnections(Fault.PASS);
		await("subscribed again on a new connection", Duration.ofSeconds(15), this.cutOff::tagVersionsTrusted);
	}

	private static void await(String what, Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Timed out after " + timeout + " waiting until " + what);
			}
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
	}

}
