package dev.redisstarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

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
class MessagingWhileRedisIsDownHttpTests extends RedisDownHttpTestSupport {

	/** The sample's {@code sample.quotes.timeout}. */
	private static final Duration QUOTE_TIMEOUT = Duration.ofSeconds(2);

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

}
