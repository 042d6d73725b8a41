package dev.redisstarter.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.redisstarter.test.LocalRedisServer;

/**
 * Starts a private {@code redis-server} (through {@code redis-starter-test}'s launcher) when the application
 * is given no Redis, so that the sample runs on a machine with only a JDK. The server stops with the
 * application context.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoRedisConfiguredCondition.class)
class LocalRedisConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisConfiguration.class);

	@Bean(destroyMethod = "close")
	LocalRedisServer localRedisServer() {
		LocalRedisServer server = LocalRedisServer.builder().build().start();
		logger.info("No Redis configured: started a private Redis {} ({}) on {}. Set spring.data.redis.url or REDIS_URL to use your own.",
				server.version(), server.binary(), server.address());
		return server;
	}

	@Bean
	DataRedisConnectionDetails localRedisConnectionDetails(LocalRedisServer server) {
		return new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of(server.host(), server.port());
			}

		};
	}

}
