package dev.redisstarter.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.cache.CacheWarming;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

@RealRedis
class StandaloneCacheWarmingTests extends CacheWarmingContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

	@Test
	void aConcurrencyBelowOneFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.cache.warming.concurrency=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.cache.warming.concurrency"));
	}

	@Test
	void withRedisUnreachableTheApplicationStartsWithinTheBudget() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		List<String> keys = IntStream.range(0, 200).mapToObj(String::valueOf).toList();
		long start = System.nanoTime();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
					"redis.starter.cache.warming.timeout=3s")
			.withBean(CacheWarmer.class, () -> CacheWarmer.ofKeys("offline", () -> keys, (key) -> "v" + key))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
				CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
				assertThat(report).isNotNull();
				assertThat(report.time()).isLessThanOrEqualTo(Duration.ofMillis(3_500));
			});
	}

}
