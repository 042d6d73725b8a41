package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.KillArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("compat")
@RealRedis
class StandaloneCacheTests extends CacheContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

	@Test
	void aTaggedSetIsOneScriptCallOnOneServerWhetherOrNotItsVersionsAreKnown() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String first = unique("a");
		String second = unique("b");
		Map<String, Long> before = commandCalls();
		cache.set(unique("k"), "v", Duration.ofMinutes(5), first, second);
		cache.set(unique("k"), "v", Duration.ofMinutes(5), first, second);
		Map<String, Long> after = commandCalls();
		assertThat(delta(before, after, "evalsha") + delta(before, after, "eval")).isEqualTo(2);
		assertThat(delta(before, after, "mget")).isZero();
	}

	@Test
	void versionsKnownLocallyAreForgottenWhenTheSubscriptionDrops() throws Exception {
		CacheService writer = cache(CacheSettings.DEFAULTS);
		CacheService reader = cache(CacheSettings.DEFAULTS);
		String tag = unique("t");
		String key = unique("k");
		writer.set(key, "v", Duration.ofMinutes(5), tag);
		assertThat(reader.get(key, String.class)).contains("v");
		assertThat(reader.get(key, String.class)).contains("v");
		try (RedisConnection admin = factory().getConnection()) {
			@SuppressWarnings("unchecked")
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) admin
				.getNativeConnection();
			assertThat(commands.clientKill(KillArgs.Builder.typePubsub()).get(5, TimeUnit.SECONDS)).isPositive();
		}
		// Published while the subscriptions are down: the notice is lost, the reader must not trust what it knew.
		writer.invalidateTags(tag);
		sleep(500);
		assertThat(reader.get(key, String.class)).isEmpty();
		writer.set(key, "w", Duration.ofMinutes(5), tag);
		assertThat(reader.get(key, String.class)).as("caching works again after resubscribing").contains("w");
	}

}
