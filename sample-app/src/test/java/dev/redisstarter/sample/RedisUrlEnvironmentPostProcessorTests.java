package dev.redisstarter.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RedisUrlEnvironmentPostProcessorTests {

	private final RedisUrlEnvironmentPostProcessor processor = new RedisUrlEnvironmentPostProcessor();

	@Test
	void mapsRedisUrlToTheSpringProperty() {
		MockEnvironment environment = new MockEnvironment().withProperty("REDIS_URL", "redis://cache.internal:6380");
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://cache.internal:6380");
	}

	@Test
	void anExplicitSpringPropertyWins() {
		MockEnvironment environment = new MockEnvironment().withProperty("REDIS_URL", "redis://a:1")
			.withProperty("spring.data.redis.url", "redis://b:2");
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://b:2");
	}

}
