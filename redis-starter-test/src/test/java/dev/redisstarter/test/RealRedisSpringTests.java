package dev.redisstarter.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@RealRedis
class RealRedisSpringTests {

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private Environment environment;

	@Test
	void pointsTheApplicationAtTheSharedServer(RedisServer server) {
		assertThat(this.environment.getProperty("spring.data.redis.url")).isEqualTo(server.url());
		this.redis.opsForValue().set("real-redis-spring", "yes");
		assertThat(((LocalRedisServer) server).command("GET", "real-redis-spring")).isEqualTo("yes");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	static class Config {

	}

}
