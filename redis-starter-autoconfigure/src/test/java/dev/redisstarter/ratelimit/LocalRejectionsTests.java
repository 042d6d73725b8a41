package dev.redisstarter.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.ratelimit.RateLimitResult.Decision;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rejections remembered locally: a hammered key costs Redis nothing until the time Redis gave, and a remembered
 * rejection never outlives that time, nor the configured bound, nor covers a smaller request.
 */
class LocalRejectionsTests {

	private static final Duration MAX_TIME = Duration.ofMillis(300);

	private final LocalRedisServer server = LocalRedisServer.builder().build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private LettuceConnectionFactory factory;

	private RedisAccess access;

	private RateLimiter limiter;

	@BeforeEach
	void start() {
		this.server.start();
		this.factory = ConnectionFactories.lettuce(this.server, Duration.ofMillis(500));
		this.access = RedisAccess.of(this.factory);
		this.limiter = new RedisRateLimiter(this.access.calls(Feature.RATE_LIMIT, Duration.ofSeconds(1)),
				new KeyNaming(""), new RateLimitMetrics(this.meters), 100, MAX_TIME);
	}

	@AfterEach
	void stop() {
		this.access.close();
		this.factory.destroy();
		this.server.close();
	}

	@Test
	void aHammeredRejectedKeyCostsNoRedisCallUntilTheRememberedTimeEnds() throws InterruptedException {
		RateLimit limit = RateLimit.fixedWindow(2, Duration.ofMinutes(5)).withName("api");
		assertThat(this.limiter.tryAcquire("attacker", limit).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire("attacker", limit).allowed()).isTrue();
		RateLimitResult first = this.limiter.tryAcquire("attacker", limit);
		assertThat(first.decision()).isEqualTo(Decision.REJECTED);
		long scriptsBefore = scriptCalls();

		for (int i = 0; i < 1_000; i++) {
			RateLimitResult again = this.limiter.tryAcquire("attacker", limit);
			assertThat(again.decision()).isEqualTo(Decision.REJECTED);
			assertThat(again.retryAfter()).as("Redis's retry-after, counted down").isPositive()
				.isLessThanOrEqualTo(first.retryAfter());
			assertThat(again.policy()).isEqualTo("api");
		}
		assertThat(scriptCalls()).as("1,000 rejections answered without Redis").isEqualTo(scriptsBefore);
		assertThat(this.meters.get("redis.starter.ratelimit.rejections.local").tag("name", "api").counter().count())
			.isEqualTo(1_000);
		assertThat(this.meters.get(RateLimitMetrics.DECISIONS).tags("name", "api", "outcome", "rejected").counter()
			.count()).as("local rejections are decisions too").isEqualTo(1_001);

		Thread.sleep(MAX_TIME.toMillis() + 50);
		assertThat(this.limiter.tryAcquire("attacker", limit).allowed()).as("still over the limit in Redis").isFalse();
		assertThat(scriptCalls()).as("past max-time, Redis is asked again").isEqualTo(scriptsBefore + 1);
	}

	@Test
	void aRememberedRejectionEndsByRedisRetryAfterSoNothingRedisWouldAllowIsRejected() throws InterruptedException {
		// One token, ten a second: a rejection's retry-after is at most 100 ms, shorter than max-time.
		RateLimit limit = RateLimit.tokenBucket(1, 10).withName("bucket");
		for (int round = 0; round < 5; round++) {
			RateLimitResult allowed = this.limiter.tryAcquire("client", limit);
			if (!allowed.allowed()) {
				Thread.sleep(allowed.retryAfter().toMillis() + 2);
				allowed = this.limiter.tryAcquire("client", limit);
			}
			assertThat(allowed.allowed()).isTrue();
			RateLimitResult rejected = this.limiter.tryAcquire("client", limit);
			assertThat(rejected.allowed()).isFalse();
			assertThat(this.limiter.tryAcquire("client", limit).allowed()).as("remembered").isFalse();
			Thread.sleep(rejected.retryAfter().toMillis() + 2);
			assertThat(this.limiter.tryAcquire("client", limit).allowed())
				.as("allowed as soon as Redis allows, round %d", round).isTrue();
		}
	}

	@Test
	void aSmallerRequestThanTheRejectedOneStillAsksRedis() {
		RateLimit limit = RateLimit.tokenBucket(10, 0.001).withName("heavy");
		assertThat(this.limiter.tryAcquire("client", limit, 8).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire("client", limit, 5).allowed()).as("2 tokens left").isFalse();
		assertThat(this.limiter.tryAcquire("client", limit, 5).allowed()).as("remembered").isFalse();
		assertThat(this.limiter.tryAcquire("client", limit, 2).allowed()).as("fits: Redis is asked").isTrue();
	}

	@Test
	void aKeyRejectedUnderOtherLimitsIsNotCoveredByTheMemo() {
		RateLimit strict = RateLimit.fixedWindow(1, Duration.ofMinutes(5)).withName("strict");
		RateLimit loose = RateLimit.fixedWindow(100, Duration.ofMinutes(5)).withName("loose");
		this.limiter.tryAcquire("client", strict);
		assertThat(this.limiter.tryAcquire("client", strict).allowed()).isFalse();
		assertThat(this.limiter.tryAcquire("client", loose).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire("client", List.of(loose, strict), 1).allowed()).isFalse();
	}

	@Test
	void theMemoKeepsAtMostMaxKeysUnderAFloodOfDistinctKeys() {
		LocalRejections rejections = new LocalRejections(5, Duration.ofMinutes(1));
		RateLimit limit = RateLimit.fixedWindow(1, Duration.ofMinutes(5));
		RateLimitResult rejected = new RateLimitResult(false, 1, 0, Duration.ofMinutes(5), Duration.ofMinutes(5),
				Decision.REJECTED, "default", Duration.ofMinutes(5));
		long now = System.nanoTime();
		for (int i = 0; i < 1_000; i++) {
			rejections.remember("key-" + i, List.of(limit), 1, now, rejected);
		}
		assertThat(rejections.size()).isEqualTo(5);
		assertThat(rejections.rejection("key-0", List.of(limit), 1, now)).isNotNull();
		assertThat(rejections.rejection("key-999", List.of(limit), 1, now)).as("not remembered: asks Redis").isNull();
		assertThat(rejections.rejection("key-0", List.of(limit), 1, now + Duration.ofMinutes(2).toNanos()))
			.as("past max-time").isNull();
	}

	@Test
	void aRequestOverTheCapacityIsToldItCanNeverPassEvenOnARememberedRejection() {
		RateLimit limit = RateLimit.fixedWindow(2, Duration.ofMinutes(5)).withName("api");
		this.limiter.tryAcquire("client", limit);
		this.limiter.tryAcquire("client", limit);
		assertThat(this.limiter.tryAcquire("client", limit).decision()).isEqualTo(Decision.REJECTED);
		RateLimitResult tooBig = this.limiter.tryAcquire("client", limit, 3);
		assertThat(tooBig.decision()).as("not a rejection to retry after: it can never pass")
			.isEqualTo(Decision.EXCEEDS_CAPACITY);
	}

	@Test
	void aLimitsListTheCallerChangesAfterARejectionDoesNotStayInTheMemoForever() {
		LocalRejections rejections = new LocalRejections(1, Duration.ofMillis(50));
		RateLimit strict = RateLimit.fixedWindow(1, Duration.ofMinutes(5)).withName("strict");
		RateLimit other = RateLimit.fixedWindow(7, Duration.ofMinutes(5)).withName("other");
		RateLimitResult rejected = new RateLimitResult(false, 1, 0, Duration.ofMinutes(5), Duration.ofMinutes(5),
				Decision.REJECTED, "strict", Duration.ofMinutes(5));
		List<RateLimit> reused = new ArrayList<>(List.of(strict));
		long now = System.nanoTime();
		rejections.remember("a", reused, 1, now, rejected);
		// The caller reuses its list for another request.
		reused.set(0, other);
		long later = now + Duration.ofSeconds(1).toNanos();
		rejections.remember("b", List.of(strict), 1, later, rejected);
		assertThat(rejections.rejection("b", List.of(strict), 1, later))
			.as("the expired memo was swept, so there is room for this one").isNotNull();
		assertThat(rejections.size()).isEqualTo(1);
	}

	@Test
	void anAllowanceOrAFailureIsNeverRemembered() {
		LocalRejections rejections = new LocalRejections(5, Duration.ofMinutes(1));
		RateLimit limit = RateLimit.fixedWindow(1, Duration.ofMinutes(5));
		long now = System.nanoTime();
		rejections.remember("closed", List.of(limit), 1, now, new RateLimitResult(false, 1, 0, Duration.ofSeconds(1),
				Duration.ofSeconds(1), Decision.FAILED_CLOSED, "default", Duration.ofMinutes(5)));
		rejections.remember("allowed", List.of(limit), 1, now, new RateLimitResult(true, 1, 0, Duration.ofSeconds(1),
				Duration.ZERO, Decision.ALLOWED, "default", Duration.ofMinutes(5)));
		assertThat(rejections.size()).isZero();
	}

	private long scriptCalls() {
		try (RedisConnection connection = this.factory.getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			Object evalsha = stats.get("cmdstat_evalsha");
			Object eval = stats.get("cmdstat_eval");
			return calls(evalsha) + calls(eval);
		}
	}

	private static long calls(Object stat) {
		return (stat != null) ? Long.parseLong(stat.toString().replaceFirst("^calls=(\\d+),.*$", "$1")) : 0;
	}

}
