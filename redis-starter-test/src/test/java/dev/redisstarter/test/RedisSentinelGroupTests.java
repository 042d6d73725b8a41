package dev.redisstarter.test;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class RedisSentinelGroupTests {

	@Test
	void sentinelsReportTheMaster() {
		RedisSentinelGroup group = SharedRedis.sentinel();
		assertThat(group.currentMasterAddress()).isEqualTo(group.master().address());
		assertThat(group.springDataRedisProperties()).containsEntry("spring.data.redis.sentinel.master", "mymaster")
			.containsEntry("spring.data.redis.sentinel.nodes", group.sentinelNodes());
	}

	@Test
	void writesGoThroughThePromotedReplicaAfterTheMasterStops() {
		try (RedisSentinelGroup group = RedisSentinelGroup.create().start()) {
			RedisSentinelConfiguration configuration = new RedisSentinelConfiguration(group.masterName(),
					new java.util.HashSet<>(Arrays.asList(group.sentinelNodes().split(","))));
			LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
			factory.afterPropertiesSet();
			factory.start();
			try {
				StringRedisTemplate template = new StringRedisTemplate(factory);
				template.opsForValue().set("before", "1");
				assertThat(group.replica().command("GET", "before")).as("replicated")
					.satisfiesAnyOf((v) -> assertThat(v).isEqualTo("1"), (v) -> assertThat(v).isNull());

				group.stopMaster();
				String promoted = group.awaitFailover(Duration.ofSeconds(30));
				assertThat(promoted).isEqualTo(group.replica().address());

				writeUntilAccepted(template, Duration.ofSeconds(30));
				assertThat(group.replica().command("GET", "after")).isEqualTo("2");
				assertThat(group.replica().command("ROLE")).asList().first().isEqualTo("master");
			}
			finally {
				factory.destroy();
			}
		}
	}

	private static void writeUntilAccepted(StringRedisTemplate template, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try {
				template.opsForValue().set("after", "2");
				return;
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				LocalRedisServer.sleep(Duration.ofMillis(200));
			}
		}
	}

}
