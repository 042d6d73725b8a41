package dev.redisstarter.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.ratelimit.RateLimitResult.Decision;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The limiter's behaviour, run against each topology by a subclass. */
abstract class RateLimiterContractTests {

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private RateLimiter limiter;

	abstract RedisDeployment deployment();

	@BeforeEach
	void connect() {
		this.limiter = newLimiter();
	}

	@AfterEach
	void disconnect() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	/** A limiter with connections of its own, standing in for one application instance. */
	private RateLimiter newLimiter() {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		return new RedisRateLimiter(new StringRedisTemplate(factory), new KeyNaming("rltest:"), new RateLimitMetrics(null));
	}

	private static String uniqueKey() {
		return "client-" + UUID.randomUUID();
	}

	/** Limits of 100 whose windows are long enough that no refill or roll-over happens during a test. */
	static Stream<Arguments> hundredPerLongWindow() {
		Duration days = Duration.ofDays(10);
		return Stream.of(Arguments.of(RateLimit.fixedWindow(100, days)), Arguments.of(RateLimit.slidingLog(100, days)),
				Arguments.of(RateLimit.slidingWindow(100, days)), Arguments.of(RateLimit.tokenBucket(100, 100.0 / 86_400)),
				Arguments.of(RateLimit.gcra(100, days)));
	}

	/** Limits of 5 per short window, to watch refill and roll-over. */
	static Stream<Arguments> fivePerShortWindow() {
		Duration window = Duration.ofMillis(600);
		return Stream.of(Arguments.of(RateLimit.fixedWindow(5, window)), Arguments.of(RateLimit.slidingLog(5, window)),
				Arguments.of(RateLimit.slidingWindow(5, window)), Arguments.of(RateLimit.tokenBucket(5, 5 / 0.6)),
				Arguments.of(RateLimit.gcra(5, window)));
	}

	@ParameterizedTest
	@MethodSource("hundredPerLongWindow")
	void admitsExactlyTheLimitUnderConcurrencyAcrossInstances(RateLimit limit) throws Exception {
		List<RateLimiter> instances = List.of(this.limiter, newLimiter(), newLimiter());
		String key = uniqueKey();
		AtomicInteger allowed = new AtomicInteger();
		AtomicInteger failedOpen = new AtomicInteger();
		AtomicInteger requests = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(64);
		try {
			List<Future<?>> threads = new ArrayList<>();
			for (int t = 0; t < 64; t++) {
				RateLimiter instance = instances.get(t % 3);
				threads.add(pool.submit(() -> {
					start.await();
					while (requests.incrementAndGet() <= 500) {
						RateLimitResult result = instance.tryAcquire(key, limit);
						if (result.decision() == RateLimitResult.Decision.ALLOWED) {
							allowed.incrementAndGet();
						}
						else if (result.decision() == RateLimitResult.Decision.FAILED_OPEN) {
							// A decision Redis did not answer within its deadline (a loaded machine): allowed by
							// the fail-open policy, whatever the script decided.
							failedOpen.incrementAndGet();
						}
						else {
							assertThat(result.retryAfter()).isPositive();
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> thread : threads) {
				thread.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdown();
		}
		if (failedOpen.get() == 0) {
			assertThat(allowed.get()).as(limit.algorithm() + " admitted").isEqualTo(100);
		}
		else {
			// Some answers came too late: those were admitted or refused in Redis, unseen here.
			assertThat(allowed.get()).as(limit.algorithm() + " admitted").isBetween(100 - failedOpen.get(), 100);
		}
	}

	@ParameterizedTest
	@MethodSource("fivePerShortWindow")
	void aRejectionSaysHowLongToWaitAndWaitingItOutLetsTheNextRequestIn(RateLimit limit) throws Exception {
		String key = uniqueKey();
		startOfAWindow(limit);
		for (int i = 0; i < 5; i++) {
			RateLimitResult result = this.limiter.tryAcquire(key, limit);
			assertThat(result.allowed()).as("request %d", i + 1).isTrue();
			assertThat(result.remaining()).isEqualTo(4 - i);
		}
		RateLimitResult rejected = this.limiter.tryAcquire(key, limit);
		assertThat(rejected.allowed()).isFalse();
		assertThat(rejected.decision()).isEqualTo(Decision.REJECTED);
		// The weighted window's count decays through the next window, so its wait can exceed one window.
		assertThat(rejected.retryAfter()).isPositive().isLessThanOrEqualTo(limit.window().multipliedBy(2));
		assertThat(rejected.remaining()).isZero();
		Thread.sleep(rejected.retryAfter().toMillis() + 15);
		assertThat(this.limiter.tryAcquire(key, limit).allowed()).as("after waiting retryAfter").isTrue();
	}

	@ParameterizedTest
	@MethodSource("fivePerShortWindow")
	void theWholeLimitIsBackAfterTheWindowOrRefill(RateLimit limit) throws Exception {
		String key = uniqueKey();
		startOfAWindow(limit);
		for (int i = 0; i < 5; i++) {
			assertThat(this.limiter.tryAcquire(key, limit).allowed()).isTrue();
		}
		RateLimitResult last = this.limiter.tryAcquire(key, limit);
		assertThat(last.allowed()).isFalse();
		// Two windows always suffice, whatever the algorithm (the weighted window needs the previous to decay).
		Thread.sleep(limit.window().multipliedBy(2).toMillis() + 20);
		assertThat(this.limiter.tryAcquire(key, limit, 5).allowed()).isTrue();
	}

	/**
	 * Window-aligned algorithms restart at window boundaries; a test that fills a short window must not
	 * straddle one. The test runs on the server's machine, so its clock is the server's to within a millisecond.
	 */
	private static void startOfAWindow(RateLimit limit) throws InterruptedException {
		if (limit.algorithm() == Algorithm.FIXED_WINDOW || limit.algorithm() == Algorithm.SLIDING_WINDOW) {
			long window = limit.window().toMillis();
			long into = System.currentTimeMillis() % window;
			if (into > 50) {
				Thread.sleep(window - into + 5);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("hundredPerLongWindow")
	void weightedRequestsTakeTheirCostAndOversizedOnesAreRefusedWithAReason(RateLimit limit) {
		String key = uniqueKey();
		RateLimitResult thirty = this.limiter.tryAcquire(key, limit, 30);
		assertThat(thirty.allowed()).isTrue();
		assertThat(thirty.remaining()).isEqualTo(70);
		assertThat(this.limiter.tryAcquire(key, limit, 71).allowed()).isFalse();
		assertThat(this.limiter.tryAcquire(key, limit, 70).remaining()).isZero();

		RateLimitResult oversized = this.limiter.tryAcquire(uniqueKey(), limit, 101);
		assertThat(oversized.allowed()).isFalse();
		assertThat(oversized.decision()).isEqualTo(Decision.EXCEEDS_CAPACITY);
	}

	@Test
	void aTokenBucketRefillsAtFractionalRates() {
		RateLimit onePerMinute = RateLimit.tokenBucket(1, 1.0 / 60);
		String key = uniqueKey();
		assertThat(this.limiter.tryAcquire(key, onePerMinute).allowed()).isTrue();
		RateLimitResult rejected = this.limiter.tryAcquire(key, onePerMinute);
		assertThat(rejected.allowed()).isFalse();
		assertThat(rejected.retryAfter()).isBetween(Duration.ofSeconds(58), Duration.ofSeconds(60));
	}

	@Test
	void compositeLimitsAreAllOrNothing() {
		RateLimit perSecond = RateLimit.fixedWindow(2, Duration.ofDays(10)).withName("burst");
		RateLimit perHour = RateLimit.fixedWindow(5, Duration.ofDays(10)).withName("sustained");
		String key = uniqueKey();
		assertThat(this.limiter.tryAcquire(key, List.of(perSecond, perHour), 1).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire(key, List.of(perSecond, perHour), 1).allowed()).isTrue();
		RateLimitResult third = this.limiter.tryAcquire(key, List.of(perSecond, perHour), 1);
		assertThat(third.allowed()).isFalse();
		assertThat(third.policy()).isEqualTo("burst");
		for (int i = 0; i < 5; i++) {
			this.limiter.tryAcquire(key, List.of(perSecond, perHour), 1);
		}
		// The rejections took nothing from the hourly limit: it has exactly 3 left.
		assertThat(this.limiter.tryAcquire(key, perHour, 3).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire(key, perHour).allowed()).isFalse();
	}

	@Test
	void aBlockedKeyStaysBlockedForTheBlockDurationThoughItsLimitRefills() throws Exception {
		RateLimit limit = RateLimit.tokenBucket(2, 100).withBlockDuration(Duration.ofMillis(800));
		String key = uniqueKey();
		assertThat(this.limiter.tryAcquire(key, limit, 2).allowed()).isTrue();
		RateLimitResult rejected = this.limiter.tryAcquire(key, limit, 2);
		assertThat(rejected.decision()).isEqualTo(Decision.REJECTED);
		assertThat(rejected.retryAfter()).isGreaterThan(Duration.ofMillis(700));
		Thread.sleep(100);
		RateLimitResult blocked = this.limiter.tryAcquire(key, limit);
		assertThat(blocked.decision()).isEqualTo(Decision.BLOCKED);
		assertThat(blocked.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(800));
		Thread.sleep(blocked.retryAfter().toMillis() + 20);
		assertThat(this.limiter.tryAcquire(key, limit, 2).allowed()).isTrue();
	}

	@Test
	void oneSlidingLogRequestCannotMakeRedisWriteMoreThanTheCapOfEntries() {
		RateLimit huge = RateLimit.slidingLog(1_000_000, Duration.ofMinutes(1)).withName("huge");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.limiter.tryAcquire(uniqueKey(), huge, RedisRateLimiter.MAX_SLIDING_LOG_PERMITS + 1))
			.withMessageContaining("at most " + RedisRateLimiter.MAX_SLIDING_LOG_PERMITS);
		assertThat(this.limiter.tryAcquire(uniqueKey(), huge, RedisRateLimiter.MAX_SLIDING_LOG_PERMITS).allowed()).isTrue();
	}

	@Test
	void differentKeysAndDifferentLimitNamesDoNotShareState() {
		RateLimit one = RateLimit.fixedWindow(1, Duration.ofDays(10));
		String key = uniqueKey();
		assertThat(this.limiter.tryAcquire(key, one).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire(key + "-other", one).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire(key, one.withName("other-policy")).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire(key, one).allowed()).isFalse();
		assertThat(this.limiter.tryAcquire("{" + key + "}", one).allowed()).as("braces are escaped").isTrue();
	}

}
