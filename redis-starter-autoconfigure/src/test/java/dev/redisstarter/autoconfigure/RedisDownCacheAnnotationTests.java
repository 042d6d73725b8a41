package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.autoconfigure.CacheAnnotationContractTests.Catalogue;
import dev.redisstarter.autoconfigure.CacheAnnotationContractTests.Product;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis stopped under an annotated method: it still answers; after a restart its results are cached again. */
class RedisDownCacheAnnotationTests {

	@Test
	void anAnnotatedMethodAnswersWhileRedisIsDownAndIsCachedAgainAfterARestart() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
						RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
						"spring.data.redis.timeout=500ms", "redis.starter.key-prefix=down-" + UUID.randomUUID() + ":")
				.withUserConfiguration(CacheAnnotationContractTests.CatalogueConfiguration.class)
				.run((context) -> {
					Catalogue catalogue = context.getBean(Catalogue.class);
					assertThat(catalogue.find(1)).isEqualTo(new Product(1, "p1", "home"));
					assertThat(catalogue.find(1)).isEqualTo(new Product(1, "p1", "home"));
					assertThat(catalogue.calls()).isEqualTo(1);
					server.stop();
					assertThat(catalogue.find(1)).isEqualTo(new Product(1, "p1", "home"));
					assertThat(catalogue.find(1)).isEqualTo(new Product(1, "p1", "home"));
					assertThat(catalogue.calls()).as("served by the method while Redis is down").isEqualTo(3);
					server.start();
					long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
					int before;
					do {
						catalogue.find(1);
						before = catalogue.calls();
						catalogue.find(1);
					}
					while (catalogue.calls() != before && System.nanoTime() < deadline);
					assertThat(catalogue.calls()).as("cached again after the restart").isEqualTo(before);
				});
		}
	}

}
