package dev.redisstarter.ratelimit;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.ratelimit.RateLimitResult.Decision;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis stopped mid-run: each failure mode does what it says, within the command timeout. */
class RedisDownRateLimiterTests {

	private final LocalRedisServer server = LocalRedisServer.builder().build();

	private LettuceConnectionFactory factory;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RateLimiter limiter;

	@BeforeEach
	void start() {
		this.server.start();
		this.factory = ConnectionFactories.lettuce(this.server, Duration.ofMillis(500));
		this.limiter = new RedisRateLimiter(new StringRedisTemplate(this.factory), new KeyNaming(""),
				new RateLimitMetrics(this.meters));
	}

	@AfterEach
	void stop() {
		this.factory.destroy();
		this.server.close();
	}

	@Test
	void failOpenAllowsAndFailClosedRejectsWithoutHangingThenLimitingResumes() {
		RateLimit open = RateLimit.fixedWindow(1, Duration.ofDays(10)).withName("open");
		RateLimit closed = open.withName("closed").withFailureMode(FailureMode.FAIL_CLOSED);
		assertThat(this.limiter.tryAcquire("k", open).allowed()).isTrue();
		assertThat(this.limiter.tryAcquire("k", open).allowed()).isFalse();

		this.server.stop();
		long start = System.nanoTime();
		RateLimitResult failedOpen = this.limiter.tryAcquire("k", open);
		RateLimitResult failedClosed = this.limiter.tryAcquire("k", closed);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(failedOpen.allowed()).isTrue();
		assertThat(failedOpen.decision()).isEqualTo(Decision.FAILED_OPEN);
		assertThat(failedClosed.allowed()).isFalse();
		assertThat(failedClosed.decision()).isEqualTo(Decision.FAILED_CLOSED);
		assertThat(failedClosed.retryAfter()).isPositive();
		assertThat(took).as("bounded by the command timeout, not hanging").isLessThan(Duration.ofSeconds(5));
		assertThat(this.limiter.tryAcquire("k", java.util.List.of(open, closed), 1).allowed())
			.as("one fail-closed limit rejects a composite")
			.isFalse();
		assertThat(this.meters.get(RateLimitMetrics.DECISIONS).tags("name", "open", "outcome", "failed-open").counter().count()).isEqualTo(1);
		assertThat(this.meters.get(RateLimitMetrics.DECISIONS).tag("outcome", "failed-closed").counters())
			.as("one under each name that decided").hasSize(2)
			.allSatisfy((counter) -> assertThat(counter.count()).isEqualTo(1));

		this.server.start();
		RateLimitResult afterRestart = awaitDecision(open);
		assertThat(afterRestart.decision()).as("the restarted server has no state").isEqualTo(Decision.ALLOWED);
		assertThat(this.limiter.tryAcquire("k", open).decision()).isEqualTo(Decision.REJECTED);
		assertThat(this.meters.get(RateLimitMetrics.LATENCY).tag("name", "open").timer().count()).isPositive();
	}

	private RateLimitResult awaitDecision(RateLimit limit) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		RateLimitResult result = this.limiter.tryAcquire("k", limit);
		while (result.decision() == Decision.FAILED_OPEN && System.nanoTime() < deadline) {
			result = this.limiter.tryAcquire("k", limit);
		}
		return result;
	}

}
