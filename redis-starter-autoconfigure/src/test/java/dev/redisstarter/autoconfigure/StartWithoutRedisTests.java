package dev.redisstarter.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ServerCheck;
import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.LockUnavailableException;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The application starts with Redis unreachable, as a plain Spring Boot application does: every capability
 * answers its policy at once, health is DOWN, and once Redis starts everything works without a restart.
 */
class StartWithoutRedisTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterRateLimitAutoConfiguration.class, RedisStarterLockAutoConfiguration.class, RedisStarterSessionAutoConfiguration.class,
				RedisStarterCacheAutoConfiguration.class, RedisStarterLeaderboardAutoConfiguration.class,
				RedisStarterHealthAutoConfiguration.class));

	@Test
	void startsWithRedisUnreachableAnswersAtOnceAndWorksOnceRedisStarts() throws IOException {
		int port = freePort();
		this.runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
				"redis.starter.resilience.open-duration=300ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisAccess access = context.getBean(RedisAccess.class);
				RedisStarterHealthIndicator health = context.getBean("redisHealthContributor",
						RedisStarterHealthIndicator.class);
				assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);

				long start = System.nanoTime();
				assertThat(context.getBean(CacheService.class)
					.getOrLoad("p", String.class, Duration.ofMinutes(1), () -> "from the loader")).isEqualTo("from the loader");
				assertThat(context.getBean(RateLimiter.class)
					.tryAcquire("k", RateLimit.fixedWindow(5, Duration.ofMinutes(1)))
					.decision()).isEqualTo(RateLimitResult.Decision.FAILED_OPEN);
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> context.getBean(DistributedLock.class).tryAcquire("l", Duration.ofSeconds(30)));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no call waits for Redis")
					.isLessThan(Duration.ofSeconds(1));

				try (LocalRedisServer server = LocalRedisServer.builder().port(port).build().start()) {
					await(Duration.ofSeconds(10), access::isConnected);
					await(Duration.ofSeconds(5), () -> health.health(true).getStatus().equals(Status.UP));
					Health up = health.health(true);
					assertThat(up.getDetails()).containsEntry("circuit", "closed").containsKey("pingMillis");
					await(Duration.ofSeconds(5), () -> context.getBean(ServerCheck.class).last() != null);
					assertThat(health.health(true).getDetails()).containsKeys("version", "maxmemoryPolicy");
					assertThat(context.getBean(RateLimiter.class)
						.tryAcquire("k", RateLimit.fixedWindow(5, Duration.ofMinutes(1)))
						.decision()).isEqualTo(RateLimitResult.Decision.ALLOWED);
					assertThat(context.getBean(DistributedLock.class).tryAcquire("l", Duration.ofSeconds(1))).isPresent();
					assertThat(context.getBean(SessionService.class).create("ada", Map.of()).userId()).isEqualTo("ada");
					assertThat(context.getBean(CacheService.class)
						.getOrLoad("p", String.class, Duration.ofMinutes(1), () -> "loaded again")).isEqualTo("loaded again");
					assertThat(context.getBean(CacheService.class).get("p", String.class)).contains("loaded again");
				}
			});
	}

	@Test
	void anEvictingMemoryPolicyIsReportedAndFailsStartUpWhenAskedTo() {
		try (LocalRedisServer server = LocalRedisServer.builder().config("maxmemory-policy", "allkeys-lru").build().start()) {
			String[] redis = { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port() };
			this.runner.withPropertyValues(redis).run((context) -> {
				assertThat(context).hasNotFailed();
				ServerCheck check = context.getBean(ServerCheck.class);
				await(Duration.ofSeconds(5), () -> check.last() != null);
				assertThat(check.last().maxmemoryPolicy()).isEqualTo("allkeys-lru");
				assertThat(check.last().problems()).singleElement().asString().contains("locks", "sessions", "rate limits");
			});
			this.runner.withPropertyValues(redis)
				.withPropertyValues("redis.starter.resilience.eviction-policy-check=fail")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("allkeys-lru"));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void await(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Timed out after " + timeout);
			}
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
	}

}
