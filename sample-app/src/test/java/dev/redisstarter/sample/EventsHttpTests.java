package dev.redisstarter.sample;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/events} and the Server-Sent Events stream {@code GET /api/events}, against a real Redis,
 * on one instance and across two.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { EventsHttpTests.APP_NAME_PROPERTY, "sample.events.heartbeat=200ms", "sample.events.backlog=16" })
@RealRedis
class EventsHttpTests {

	/** A name of its own, so that other test classes' instances on the shared Redis do not take part. */
	static final String APP_NAME_PROPERTY = "spring.application.name=sample-events-tests";

	private static final Duration WITHIN = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	/**
	 * A small socket send buffer, so that a client that stops reading fills its connection after a few events
	 * rather than after the megabytes a kernel's buffer grows to on its own.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SmallSendBuffer {

		@Bean
		TomcatConnectorCustomizer smallSendBuffer() {
			return (connector) -> connector.setProperty("socket.txBufSize", "4096");
		}

	}

	private HttpClientSupport http;

	@BeforeEach
	void connectedAndQuiet() {
		this.http = new HttpClientSupport(this.port);
		awaitSubscribers(this.http, 1);
		// Streams of earlier tests are gone once a heartbeat has failed on them.
		await().atMost(WITHIN).until(() -> connectedClients(this.http) == 0);
	}

	@Test
	void twoStreamingClientsBothReceiveAnEventPostedByAThirdRequest() throws Exception {
		try (SseClient ann = SseClient.open(this.port); SseClient bob = SseClient.open(this.port)) {
			assertThat(ann.status()).isEqualTo(200);
			assertThat(ann.contentType()).startsWith("text/event-stream");
			await().atMost(WITHIN).until(() -> connectedClients(this.http) == 2);
			String text = "kettle boiled " + UUID.randomUUID();

			HttpClientSupport.Response posted = this.http.post("/api/events", "{\"text\": \"" + text + "\"}");

			assertThat(posted.status()).isEqualTo(202);
			assertThat(posted.json().get("receivers").asLong()).isGreaterThanOrEqualTo(1);
			await().atMost(WITHIN).until(() -> ann.texts().contains(text) && bob.texts().contains(text));
			assertThat(ann.lines()).contains("data:{\"text\":\"" + text + "\"}");
			assertThat(ann.texts()).containsExactly(text);
			assertThat(bob.texts()).containsExactly(text);
		}
	}

	@Test
	void aClientThatWentAwayIsDroppedAndTheOthersKeepReceivingEveryEventInOrder() throws Exception {
		try (SseClient stays = SseClient.open(this.port)) {
			leaveAStreamRightAfterItsHeader();
			await().atMost(WITHIN).until(() -> connectedClients(this.http) == 1);
			for (int i = 1; i <= 3; i++) {
				assertThat(this.http.post("/api/events", "{\"text\": \"after-" + i + "\"}").status()).isEqualTo(202);
			}
			await().atMost(WITHIN).until(() -> stays.texts().size() == 3);
			assertThat(stays.texts()).containsExactly("after-1", "after-2", "after-3");
			assertThat(stays.ended()).isFalse();
		}
	}

	@Test
	void aClientThatStopsReadingIsDisconnectedOnceSixteenEventsWaitForItWhileTheOthersGetEveryEvent() throws Exception {
		try (Socket stalled = openAStreamAndNeverRead(); SseClient reading = SseClient.open(this.port)) {
			await().atMost(WITHIN).until(() -> connectedClients(this.http) == 2);
			String padding = "x".repeat(900);
			int posted = 0;
			// A few events at a time, each batch awaited by the reading client, so that only the stalled one falls
			// behind: first the connection's buffers fill, then its backlog of 16.
			while (connectedClients(this.http) == 2) {
				assertThat(posted).as("events posted while the stalled client stayed connected").isLessThan(2_000);
				for (int i = 0; i < 8; i++) {
					String text = (++posted) + padding;
					assertThat(this.http.post("/api/events", "{\"text\": \"" + text + "\"}").status()).isEqualTo(202);
				}
				int expected = posted;
				await().atMost(WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
					.until(() -> reading.texts().size() == expected);
			}
			assertThat(posted).as("dropped only once its backlog was full").isGreaterThan(16);
			assertThat(reading.texts()).extracting((text) -> Integer.parseInt(text.substring(0, text.indexOf('x'))))
				.containsExactlyElementsOf(IntStream.rangeClosed(1, posted).boxed().toList());
			assertThat(reading.ended()).isFalse();
		}
	}

	@Test
	void anEventPostedToOneInstanceReachesStreamsOnBothInstances() throws Exception {
		try (SampleInstance other = SampleInstance.start(SharedRedis.standalone(), APP_NAME_PROPERTY)) {
			awaitSubscribers(this.http, 2);
			try (SseClient here = SseClient.open(this.port); SseClient there = SseClient.open(other.port())) {
				HttpClientSupport otherHttp = new HttpClientSupport(other.port());
				await().atMost(WITHIN).until(() -> connectedClients(this.http) == 1 && connectedClients(otherHttp) == 1);

				HttpClientSupport.Response posted = otherHttp.post("/api/events", "{\"text\": \"from the other\"}");

				assertThat(posted.status()).isEqualTo(202);
				assertThat(posted.json().get("receivers").asLong()).as("both instances subscribe").isEqualTo(2);
				await().atMost(WITHIN).until(() -> here.texts().contains("from the other")
						&& there.texts().contains("from the other"));
				// A probe of awaitSubscribers may still be on its way when the stream opens: only the test's own noise.
				assertThat(here.texts()).filteredOn((text) -> !text.equals("probe")).containsExactly("from the other");
			}
		}
	}

	@Test
	void anEventWithoutTextIsRefusedWith400() throws Exception {
		HttpClientSupport.Response refused = this.http.post("/api/events", "{\"text\": \" \"}");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("detail").asString()).contains("'text' is required");
	}

	/** Waits until a publish reaches this many subscribers, that is instances listening on the channel. */
	static void awaitSubscribers(HttpClientSupport http, int instances) {
		await().atMost(WITHIN)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> http.post("/api/events", "{\"text\": \"probe\"}").json().get("receivers").asLong() >= instances);
	}

	static long connectedClients(HttpClientSupport http) throws Exception {
		return http.get("/actuator/metrics/sample.events.clients").json().at("/measurements/0/value").asLong();
	}

	/** Opens a stream over a plain socket with a small receive buffer, and never reads from it. */
	private Socket openAStreamAndNeverRead() throws Exception {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		socket.getOutputStream()
			.write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	/** Opens a stream over a plain socket, reads the response's header and closes the connection. */
	private void leaveAStreamRightAfterItsHeader() throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder header = new StringBuilder();
			while (!header.toString().contains("\r\n\r\n")) {
				int next = in.read();
				assertThat(next).as("the server ended the stream early").isNotNegative();
				header.append((char) next);
			}
			assertThat(header.toString()).startsWith("HTTP/1.1 200");
		}
		await().atMost(WITHIN).until(() -> connectedClients(this.http) == 1);
	}

}
