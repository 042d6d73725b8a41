package dev.redisstarter.cache;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The near cache when Redis goes away: one instance behind a proxy that can cut it off or black-hole it, one
 * connected directly. A copy is never served once its instance may have missed a notice: a silent subscription, a
 * server restarted empty; a notice that could not be published goes out once Redis answers.
 */
class NearCacheOutageTests {

	private static final KeyNaming KEYS = new KeyNaming("nearoutage:");

	private static final CacheSettings NEAR = NearCacheContractTests.NEAR;

	private final LocalRedisServer server = LocalRedisServer.builder().build().start();

	private final FaultProxy proxy = FaultProxy.inFrontOf(this.server);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final SimpleMeterRegistry directMeters = new SimpleMeterRegistry();

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
		this.cutOff = cache(this.cutOffAccess, this.meters);
		this.direct = cache(this.directAccess, this.directMeters);
		await("every subscription is up", Duration.ofSeconds(10), () -> this.cutOff.nearCacheTrusted()
				&& this.direct.nearCacheTrusted() && this.cutOff.tagVersionsTrusted() && this.direct.tagVersionsTrusted());
	}

	private static RedisCacheService cache(RedisAccess access, SimpleMeterRegistry meters) {
		access.awaitConnection(Duration.ofSeconds(10));
		return new RedisCacheService(access.calls(Feature.CACHE, Duration.ofMillis(300)), KEYS,
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), NEAR, new CacheMetrics(meters));
	}

	@AfterEach
	void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { this.cutOff, this.direct, this.cutOffAccess,
				this.directAccess }) {
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
	void aSilentSubscriptionEmptiesTheLocalTierAndAWriteMadeMeanwhileIsReadOnceItIsBack() {
		start(ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(300))
			.withLiveness(Duration.ofMillis(500), Duration.ofMillis(300)));
		this.direct.set("product:1", "old", Duration.ofMinutes(10));
		// The writer's notice may come after the first read and drop its copy: read until one is kept.
		await("a copy kept", Duration.ofSeconds(2), () -> this.cutOff.get("product:1", String.class).isPresent()
				&& this.cutOff.nearCacheEntries("product") == 1);

		this.proxy.set(Fault.BLACK_HOLE);
		long start = System.nanoTime();
		await("the local tier distrusted", Duration.ofSeconds(3), () -> !this.cutOff.nearCacheTrusted());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within the interval plus the PING timeout")
			.isLessThan(Duration.ofMillis(500 + 300 + 700));
		assertThat(this.cutOff.nearCacheEntries("product")).isZero();
		// Its notice goes to a subscription that cannot hear it.
		this.direct.set("product:1", "new", Duration.ofMinutes(10));
		assertThat(this.cutOff.get("product:1", String.class)).as("Redis does not answer: a miss, never the old copy")
			.isEmpty();

		this.proxy.setForNewConnections(Fault.PASS);
		await("subscribed again", Duration.ofSeconds(15), this.cutOff::nearCacheTrusted);
		await("reconnected", Duration.ofSeconds(15), () -> this.cutOff.get("product:1", String.class).isPresent());
		assertThat(this.cutOff.get("product:1", String.class)).contains("new");
	}

	@Test
	void aServerRestartedEmptyLeavesNoCopyBehind() {
		start(ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(300)));
		this.direct.set("product:2", "before the restart", Duration.ofMinutes(10));
		assertThat(this.direct.get("product:2", String.class)).contains("before the restart");
		assertThat(this.direct.nearCacheEntries("product")).isEqualTo(1);

		this.server.stop();
		await("the local tier distrusted", Duration.ofSeconds(3), () -> !this.direct.nearCacheTrusted());
		assertThat(this.direct.nearCacheEntries("product")).isZero();
		this.server.start();
		await("subscribed again", Duration.ofSeconds(15), this.direct::nearCacheTrusted);
		await("reconnected", Duration.ofSeconds(15), this.directAccess::isConnected);
		assertThat(this.direct.get("product:2", String.class)).as("the restarted server is empty").isEmpty();
	}

	@Test
	void aNoticeThatCouldNotBePublishedIsSentOnceRedisAnswers() {
		start(ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(300)));
		this.direct.set("product:3", "old", Duration.ofMinutes(10));
		assertThat(this.direct.get("product:3", String.class)).contains("old");
		assertThat(this.direct.nearCacheEntries("product")).isEqualTo(1);

		this.proxy.set(Fault.RESET);
		// Failed (thrown at the caller), perhaps applied: its notice waits for Redis.
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> this.cutOff.delete("product:3"));
		this.proxy.pass();
		// The copy is dropped, then the drop counted (on the subscriber's thread): wait for both.
		await("the notice reaches the other instance", Duration.ofSeconds(10),
				() -> this.direct.nearCacheEntries("product") == 0 && noticeDrops() >= 1);
		assertThat(this.directMeters.get(CacheMeter.NEAR_DROPS.getName()).tag("outcome", "notice").counter().count())
			.isEqualTo(1);
	}

	@Test
	void aPatternInvalidationThatFailedDoesNotKeepItsCallerWaitingForItsNoticeToo() {
		start(ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(300)));
		this.direct.set("product:4", "old", Duration.ofMinutes(10));
		assertThat(this.direct.get("product:4", String.class)).contains("old");
		assertThat(this.direct.nearCacheEntries("product")).isEqualTo(1);

		this.proxy.set(Fault.BLACK_HOLE);
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.cutOff.invalidatePattern("product:*"));
		assertThat(this.meters.find(RedisCalls.DEADLINES_EXPIRED).counters().stream().mapToDouble((c) -> c.count()).sum())
			.as("the scan's deadline only: no PUBLISH tried at a Redis that just did not answer")
			.isEqualTo(1);
		this.proxy.setForNewConnections(Fault.PASS);
		await("the deferred notice reaches the other instance", Duration.ofSeconds(15),
				() -> this.direct.nearCacheEntries("product") == 0);
	}

	private double noticeDrops() {
		io.micrometer.core.instrument.Counter drops = this.directMeters.find(CacheMeter.NEAR_DROPS.getName())
			.tag("outcome", "notice")
			.counter();
		return (drops != null) ? drops.count() : 0;
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
