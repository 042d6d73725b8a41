package dev.redisstarter.sample;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealRedis
class CatalogueHttpTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Test
	void theFeaturedProductsWereWarmedBeforeTheApplicationWasReady() {
		// Other tests invalidate categories of this shared context, so the count, not a HIT, is the lasting evidence.
		// Spring's test framework stops a cached context while other tests run and starts it again when it is used:
		// warming runs at every start, 10 products each time.
		double written = this.meters.get("redis.starter.cache.warmed")
			.tags("cache", "products", "outcome", "written")
			.counter()
			.count();
		assertThat(written).isGreaterThanOrEqualTo(10.0);
		// A start cut short (the context paused while it warmed) writes fewer and counts what it abandoned.
		if (written % 10 != 0) {
			assertThat(counted("abandoned")).as("warming runs that stopped before their 10 products").isPositive();
		}
	}

	private double counted(String outcome) {
		io.micrometer.core.instrument.Counter counter = this.meters.find("redis.starter.cache.warmed")
			.tags("cache", "products", "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void aReadIsAMissThenAHitAndAnUpdateMakesTheNextReadAMissWithTheNewData() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		assertThat(http.post("/api/categories/kitchen/invalidate", "").status()).isEqualTo(200);
		HttpClientSupport.Response first = http.get("/api/products/13");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("X-Cache")).isEqualTo("MISS");
		assertThat(first.json().get("name").asString()).isEqualTo("Product 13");
		assertThat(first.json().get("category").asString()).isEqualTo("kitchen");
		HttpClientSupport.Response second = http.get("/api/products/13");
		assertThat(second.header("X-Cache")).isEqualTo("HIT");
		assertThat(second.body()).isEqualTo(first.body());
		HttpClientSupport.Response put = http.put("/api/products/13",
				"{\"name\": \"Better kettle\", \"category\": \"kitchen\", \"price\": 24.50}");
		assertThat(put.status()).isEqualTo(200);
		HttpClientSupport.Response third = http.get("/api/products/13");
		assertThat(third.header("X-Cache")).isEqualTo("MISS");
		assertThat(third.json().get("name").asString()).isEqualTo("Better kettle");
		assertThat(third.json().get("price").decimalValue()).isEqualByComparingTo("24.50");
	}

	@Test
	void invalidatingACategoryMakesItsProductsMissAndLeavesOthersCached() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		http.post("/api/categories/toys/invalidate", "");
		http.post("/api/categories/books/invalidate", "");
		Thread.sleep(150);
		http.get("/api/products/4");
		http.get("/api/products/5");
		assertThat(http.get("/api/products/4").header("X-Cache")).isEqualTo("HIT");
		assertThat(http.post("/api/categories/toys/invalidate", "").json().get("invalidated").asBoolean()).isTrue();
		assertThat(http.get("/api/products/4").header("X-Cache")).as("a toy").isEqualTo("MISS");
		assertThat(http.get("/api/products/5").header("X-Cache")).as("a book").isEqualTo("HIT");
	}

	@Test
	void anUnknownProductIsNotFoundAndABadUpdateIsRefused() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		assertThat(http.get("/api/products/1000").status()).isEqualTo(404);
		assertThat(http.get("/api/products/1000").header("X-Cache")).as("the absence is cached").isEqualTo("HIT");
		assertThat(http.put("/api/products/1", "{\"name\": \"\"}").status()).isEqualTo(400);
	}

}
