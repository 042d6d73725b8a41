package dev.redisstarter.core;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterCacheAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterLeaderboardAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterLockAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterSessionAutoConfiguration;
import dev.redisstarter.cache.CacheService;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.ratelimit.RateLimitPolicies;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * caller data with Redis hash-tag braces in it ({@code {x}}, {@code }{}, {@code {}) used as a cache
 * key and tag, a rate-limit key, a lock name, a session user id and a leaderboard member on the 3-master Cluster: no
 * CROSSSLOT or MOVED reaches the caller, and each works.
 */
@RealRedis(Topology.CLUSTER)
class CallerBracesOnClusterTests {

	private final String prefix = "brc-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class,
				RedisStarterLockAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class,
				RedisStarterSessionAutoConfiguration.class, RedisStarterLeaderboardAutoConfiguration.class))
		.withPropertyValues(SharedRedis.cluster().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=" + this.prefix,
				"redis.starter.ratelimit.policies.api.algorithm=sliding-window", "redis.starter.ratelimit.policies.api.limit=5",
				"redis.starter.ratelimit.policies.api.window=1m");

	private static final String[] NASTY = { "{a}b", "x{b}", "}{", "{", "}", "{}", "a{b}c{d}", "%7B" };

	@Test
	void callerKeysWithBracesWorkOnTheCluster() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			CacheService cache = context.getBean(CacheService.class);
			RateLimiter limiter = context.getBean(RateLimiter.class);
			RateLimitPolicies policies = context.getBean(RateLimitPolicies.class);
			DistributedLock lock = context.getBean(DistributedLock.class);
			SessionService sessions = context.getBean(SessionService.class);
			Leaderboards boards = context.getBean(Leaderboards.class);
			for (String nasty : NASTY) {
				String key = "p:" + nasty;
				cache.set(key, "v", Duration.ofMinutes(1), "t" + nasty, nasty);
				assertThat(cache.get(key, String.class)).as(key).contains("v");
				cache.invalidateTags("t" + nasty);
				assertThat(cache.get(key, String.class)).as(key + " after invalidation").isEmpty();
				assertThat(cache.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> "w")).isEqualTo("w");

				for (int i = 0; i < 5; i++) {
					assertThat(limiter.tryAcquire(nasty, policies.get("api"), 1).allowed()).isTrue();
				}
				assertThat(limiter.tryAcquire(nasty, policies.get("api"), 1).allowed()).as(nasty).isFalse();

				if (nasty.contains("}")) {
					// Lock names are the hash tag itself: '}' is refused as documented, before anything is sent.
					org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
						.isThrownBy(() -> lock.tryAcquire(nasty, Duration.ZERO));
				}
				else {
					assertThat(lock.tryAcquire(nasty, Duration.ZERO)).hasValueSatisfying((lease) -> lease.close());
				}

				var session = sessions.create("u" + nasty, Map.of("k", nasty));
				assertThat(sessions.listForUser("u" + nasty)).hasSize(1);
				assertThat(sessions.get(session.id())).isPresent();
				assertThat(sessions.destroyAllForUser("u" + nasty)).isEqualTo(1);

				// Board names refuse braces (documented); members may hold anything.
				var board = boards.get("b" + UUID.randomUUID());
				board.add("m" + nasty, 4);
				assertThat(board.entry("m" + nasty)).isPresent();
			}
		});
	}

}
