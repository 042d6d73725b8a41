package dev.redisstarter.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Product views through the write-behind cache: a view is answered at once, and the database ends with each viewer's
 * last view, written in batches behind the cache (views of one viewer coalesce into one row).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "redis.starter.key-prefix=views-${random.uuid}:")
@RealRedis
class ProductViewsHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void viewsAreAcceptedAtOnceAndReachTheDatabaseBehindTheCache() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		for (int i = 0; i < 60; i++) {
			assertThat(http.post("/api/products/7/views", "{\"viewer\":\"viewer-" + (i % 20) + "\"}").status())
				.isEqualTo(202);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/products/7/views")
			.json()
			.get("persistedViewers")
			.asLong() == 20);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> http.get("/api/products/7/views").json().get("backlog").asLong() == 0);
		// The operator's view of the same cache (exposed by the sample's application.yml).
		HttpClientSupport.Response writeBehind = http.get("/actuator/writebehind");
		assertThat(writeBehind.status()).isEqualTo(200);
		assertThat(writeBehind.json().get("caches").get("product-views").get("backlog").asLong()).isZero();
		assertThat(writeBehind.json().get("caches").get("product-views").get("deadLetterCount").asLong()).isZero();
		assertThat(http.get("/actuator/writebehind/orders").status()).as("not a write-behind cache").isEqualTo(400);
		assertThat(http.get("/api/products/8/views").json().get("persistedViewers").asLong()).isZero();
		assertThat(http.post("/api/products/7/views", "{\"viewer\":\"\"}").status()).isEqualTo(400);
	}

}
