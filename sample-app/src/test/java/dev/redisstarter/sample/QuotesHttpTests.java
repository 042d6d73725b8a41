package dev.redisstarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /api/quotes/{sku}}, answered over request-reply by the sample's quote desk on a real Redis. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.application.name=sample-quotes-tests")
@RealRedis
class QuotesHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void aQuoteIsAnsweredByTheQuoteDesksReply() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		// The desk's subscription is confirmed shortly after start; until then a request goes unanswered.
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/quotes/kettle-1").status() == 200);

		HttpClientSupport.Response quote = http.get("/api/quotes/kettle-1");

		assertThat(quote.status()).isEqualTo(200);
		assertThat(quote.json().get("sku").asString()).isEqualTo("kettle-1");
		assertThat(quote.json().get("price").asLong()).isBetween(100L, 9_999L);
		assertThat(http.get("/api/quotes/kettle-1").json().get("price").asLong()).as("the same price every time")
			.isEqualTo(quote.json().get("price").asLong());
		assertThat(http.get("/api/quotes/toaster-2").json().get("sku").asString()).isEqualTo("toaster-2");
	}

	@Test
	void aQuoteTheDeskFailsOnIsAnswered502WithTheDesksError() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/quotes/kettle-1").status() == 200);

		HttpClientSupport.Response failed = http.get("/api/quotes/poison");

		assertThat(failed.status()).isEqualTo(502);
		assertThat(failed.header("Content-Type")).startsWith("application/problem+json");
		assertThat(failed.json().get("title").asString()).isEqualTo("The quote desk failed");
		assertThat(failed.json().get("detail").asString()).contains("no entry for 'poison'");
	}

}
