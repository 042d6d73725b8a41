package dev.redisstarter.sample;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the {@code REDIS_URL} environment variable, the convention of most hosting platforms, to
 * {@code spring.data.redis.url}, unless that property is set already.
 */
class RedisUrlEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("REDIS_URL");
		if (url != null && !url.isBlank() && !environment.containsProperty("spring.data.redis.url")) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("redisUrl", Map.of("spring.data.redis.url", url.strip())));
		}
	}

}
