package dev.redisstarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance without a quote desk ({@code sample.quotes.enabled=false}): a quote nobody answers is 504 once
 * {@code sample.quotes.timeout} has passed; with a second instance that runs a desk, the same request is answered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { QuotesWithoutDeskHttpTests.APP_NAME_PROPERTY, "sample.quotes.enabled=false",
				"sample.quotes.timeout=300ms" })
@RealRedis
class QuotesWithoutDeskHttpTests {

	/** A name of its own, so that desks of other test classes' instances on the shared Redis do not answer. */
	static final String APP_NAME_PROPERTY = "spring.application.name=sample-no-desk-tests";

	@LocalServerPort
	private int port;

	@Test
	void aQuoteNobodyAnswersIs504AfterTheTimeout() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		long start = System.nanoTime();

		HttpClientSupport.Response unanswered = http.get("/api/quotes/kettle-1");

		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(unanswered.status()).isEqualTo(504);
		assertThat(unanswered.header("Content-Type")).startsWith("application/problem+json");
		assertThat(unanswered.json().get("title").asString()).isEqualTo("No quote in time");
		assertThat(unanswered.json().get("detail").asString()).contains("within 300 ms")
			.contains("no subscriber received the request");
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void aQuoteIsAnsweredByTheDeskOfAnotherInstance() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		try (SampleInstance withDesk = SampleInstance.start(SharedRedis.standalone(), APP_NAME_PROPERTY)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/quotes/kettle-1").status() == 200);

			HttpClientSupport.Response quote = http.get("/api/quotes/kettle-1");

			assertThat(quote.json().get("sku").asString()).isEqualTo("kettle-1");
			assertThat(quote.json().get("price").asLong())
				.isEqualTo(new HttpClientSupport(withDesk.port()).get("/api/quotes/kettle-1").json().get("price").asLong());
		}
	}

}
