package dev.redisstarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@code *WhileRedisIsDownHttpTests} share: a private Redis for each test class (started before its
 * application context, closed after its tests; {@link #server} can be stopped and started again on the same port,
 * empty), the sample's {@code spring.data.redis.url} pointing at it, and a check that a request is answered 503
 * with {@code Retry-After} in time. Subclasses carry their own {@code @SpringBootTest} (with a
 * {@code spring.application.name} of their own and a short {@code redis.starter.resilience.liveness-interval}) and
 * {@code @DirtiesContext}, so that no context outlives its server.
 */
abstract class RedisDownHttpTestSupport {

	/** The time within which a request is answered while the starter knows Redis is down. */
	static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

	/** The test class's server; assigned before its application context starts. */
	static LocalRedisServer server;

	@LocalServerPort
	int port;

	@BeforeAll
	static void startServer() {
		server = LocalRedisServer.builder().build().start();
	}

	@AfterAll
	static void closeServer() {
		server.close();
	}

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		// Read when the context starts (after startServer), not when this method runs.
		registry.add("spring.data.redis.url", () -> server.url());
	}

	/**
	 * Sends a request and checks it is answered 503 with {@code Retry-After} within {@link #ANSWER_WITHIN}.
	 * @param request the request, for messages
	 * @param call sends it
	 */
	static void assertUnavailableWithin(String request, RedisFaultHttpTests.HttpCall call) throws Exception {
		assertUnavailableWithin(ANSWER_WITHIN, request, call);
	}

	/**
	 * Sends a request and checks it is answered 503 with {@code Retry-After} within {@code limit}.
	 * @param limit the longest answer time
	 * @param request the request, for messages
	 * @param call sends it
	 */
	static void assertUnavailableWithin(Duration limit, String request, RedisFaultHttpTests.HttpCall call)
			throws Exception {
		long start = System.nanoTime();
		HttpClientSupport.Response response = call.send();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.status()).as(request + " answered " + response.body()).isEqualTo(503);
		assertThat(response.header("Retry-After")).as(request).isNotNull();
		assertThat(took).as(request).isLessThan(limit);
	}

}
