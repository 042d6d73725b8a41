package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/** The bookkeeping of notices that wait for Redis (published by a stand-in, to order what races). */
@RealRedis
class NearCacheNoticeRetryTests {

	private final List<List<String>> sent = new ArrayList<>();

	private final LettuceConnectionFactory factory = ConnectionFactories.lettuce(SharedRedis.standalone());

	// Retries on a timer only after a minute: this test runs them itself.
	private final RedisAccess access = new RedisAccess(this.factory,
			ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMinutes(1)), null)
		.start();

	private NearCache near;

	@AfterEach
	void close() {
		if (this.near != null) {
			this.near.close();
		}
		this.access.close();
		this.factory.destroy();
	}

	@Test
	void aKeyDeferredAgainWhileItsRetryIsOnItsWayStaysPending() {
		this.near = new NearCache(this.access, new CacheCommands(this.access.calls(Feature.CACHE, Duration.ofSeconds(1))),
				"nearretry:cache:invalidations:keys", NearCacheContractTests.NEAR, CacheMetrics.NONE, (notices) -> {
					this.sent.add(notices);
					if (this.sent.size() == 1) {
						// Another write of the key fails (perhaps applied after this notice) while the retry is sent.
						this.near.written(List.of("product:1"), false);
					}
				});
		this.near.written(List.of("product:1"), false);
		assertThat(this.near.pendingNotices()).isEqualTo(1);
		this.near.retryNow();
		assertThat(this.near.pendingNotices()).as("the later write's notice was not sent yet").isEqualTo(1);
		this.near.retryNow();
		assertThat(this.near.pendingNotices()).isZero();
		assertThat(this.sent).containsExactly(List.of("product:1"), List.of("product:1"));
	}

}
