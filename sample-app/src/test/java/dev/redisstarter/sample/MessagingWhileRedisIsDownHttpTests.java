package dev.redisstarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events and quotes with the sample's Redis stopped: publishing answers 503 within a second, a quote 503 once its
 * timeout has passed, an open event stream stays open, and once Redis is back it relays events again and quotes
 * are answered, without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=sample-messaging-down-tests", "redis.starter.resilience.liveness-interval=1s" })
@DirtiesContext
class MessagingWhileRedisIsDownHttpTests {

	private static final LocalRedisServer server = LocalRedisServer.builder().build().start();

	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

	/** The sample's {@code sample.quotes.timeout}. */
	private static final Duration QUOTE_TIMEOUT = Duration.ofSeconds(2);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", server::url);
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void publishingAndQuotesAnswer503WhileRedisIsStoppedAndAnOpenStreamRelaysAgainOnceItIsBack() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		EventsHttpTests.awaitSubscribers(http, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/quotes/kettle-1").status() == 200);
		try (SseClient stream = SseClient.open(this.port)) {
			assertThat(http.post("/api/events", "{\"text\": \"before\"}").status()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(10)).until(() -> stream.texts().contains("before"));

			server.stop();
			try {
				assertUnavailableWithin(ANSWER_WITHIN, "POST /api/events",
						() -> http.post("/api/events", "{\"text\": \"lost\"}"));
				// MessageBus.request refuses at once while the circuit is open; until the circuit has seen enough
				// failures to open, a request may wait for its reply subscription up to sample.quotes.timeout.
				assertUnavailableWithin(QUOTE_TIMEOUT.plus(ANSWER_WITHIN), "GET /api/quotes",
						() -> http.get("/api/quotes/kettle-1"));
				assertThat(stream.ended()).as("the stream stays open").isFalse();
			}
			finally {
				server.start();
			}

			// Pub/sub is at-most-once: what is published before the relay has subscribed again is lost, so
			// publish until one arrives.
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
				http.post("/api/events", "{\"text\": \"after\"}");
				return stream.texts().contains("after");
			});
			assertThat(stream.texts()).first().isEqualTo("before");
			assertThat(stream.texts()).doesNotContain("lost");
			await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/quotes/kettle-1").status() == 200);
		}
	}

	private static void assertUnavailableWithin(Duration limit, String request, RedisFaultHttpTests.HttpCall call)
			throws Exception {
		long start = System.nanoTime();
		HttpClientSupport.Response response = call.send();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.status()).as(request + " answered " + response.body()).isEqualTo(503);
		assertThat(response.header("Retry-After")).as(request).isNotNull();
		assertThat(took).as(request).isLessThan(limit);
	}

}
