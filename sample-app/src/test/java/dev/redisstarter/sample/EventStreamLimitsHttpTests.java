package dev.redisstarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bounds of {@code GET /api/events}: at most {@code sample.events.max-clients} streams (here 2), each ending
 * after {@code sample.events.timeout} (here 5 s).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=sample-event-limits-tests", "sample.events.max-clients=2",
				"sample.events.timeout=5s", "sample.events.heartbeat=200ms" })
@RealRedis
class EventStreamLimitsHttpTests {

	@LocalServerPort
	private int port;

	private HttpClientSupport http;

	@BeforeEach
	void noStreamOpen() {
		this.http = new HttpClientSupport(this.port);
		await().atMost(Duration.ofSeconds(15)).until(() -> EventsHttpTests.connectedClients(this.http) == 0);
	}

	@Test
	void aThirdStreamIsRefused503WhileTwoAreOpenAndAdmittedOnceOneHasGone() throws Exception {
		try (SseClient first = SseClient.open(this.port); SseClient second = SseClient.open(this.port)) {
			assertThat(first.status()).isEqualTo(200);
			assertThat(second.status()).isEqualTo(200);

			HttpClientSupport.Response refused = this.http.get("/api/events", "Accept", "text/event-stream");

			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("5");
			assertThat(refused.json().get("detail").asString()).contains("sample.events.max-clients");
			first.close();
			await().atMost(Duration.ofSeconds(4)).until(() -> EventsHttpTests.connectedClients(this.http) == 1);
			try (SseClient third = SseClient.open(this.port)) {
				assertThat(third.status()).isEqualTo(200);
			}
		}
	}

	@Test
	void aStreamEndsAtItsTimeoutAndItsClientIsForgotten() throws Exception {
		try (SseClient stream = SseClient.open(this.port)) {
			assertThat(EventsHttpTests.connectedClients(this.http)).isEqualTo(1);
			await().atMost(Duration.ofSeconds(15)).until(stream::ended);
			assertThat(stream.lines()).contains(":heartbeat");
			assertThat(EventsHttpTests.connectedClients(this.http)).isZero();
		}
	}

}
