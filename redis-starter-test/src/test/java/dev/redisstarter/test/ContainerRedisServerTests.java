package dev.redisstarter.test;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerRedisServerTests {

	@Test
	void servesTheSameApiFromAContainer() {
		Assumptions.assumeTrue(DockerSupport.available(),
				"Skipped: no Docker engine answers on this machine, so no Redis container can run");
		try (RedisServer server = new ContainerRedisServer("redis:7.2").start()) {
			assertThat(server.isRunning()).isTrue();
			assertThat(server.version()).startsWith("7.2");
		}
	}

}
