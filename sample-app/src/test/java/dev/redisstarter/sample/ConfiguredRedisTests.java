package dev.redisstarter.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** With a Redis configured, the sample uses it and starts none of its own. */
@SpringBootTest
@RealRedis
class ConfiguredRedisTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void usesTheConfiguredServer() {
		assertThat(this.context.getBeansOfType(LocalRedisServer.class)).isEmpty();
		this.context.getBean(StringRedisTemplate.class).opsForValue().set("configured-probe", "yes");
		RedisServer shared = SharedRedis.standalone();
		assertThat(((LocalRedisServer) shared).command("GET", "configured-probe")).isEqualTo("yes");
	}

}
