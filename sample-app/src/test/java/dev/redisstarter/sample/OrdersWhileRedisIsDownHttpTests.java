package dev.redisstarter.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders with the sample's Redis stopped: posting an order and listing the dead letters answer 503 within a second;
 * once Redis is back (empty: the test server keeps nothing) the fulfilment listener has resumed by itself and
 * fulfils new orders, without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=sample-orders-down-tests", "redis.starter.resilience.liveness-interval=1s" })
@DirtiesContext
class OrdersWhileRedisIsDownHttpTests extends RedisDownHttpTestSupport {

	@Test
	void ordersAnswer503WhileRedisIsStoppedAndAreFulfilledAgainOnceItIsBack() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String before = http.post("/api/orders", "{\"item\": \"kettle\", \"quantity\": 1}").json().get("id").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> isFulfilled(http, before));

		server.stop();
		try {
			assertUnavailableWithin("POST /api/orders",
					() -> http.post("/api/orders", "{\"item\": \"lamp\", \"quantity\": 1}"));
			assertUnavailableWithin("GET /api/orders/dead-letters", () -> http.get("/api/orders/dead-letters"));
			assertUnavailableWithin("POST /api/orders/dead-letters/{id}/replay",
					() -> http.post("/api/orders/dead-letters/1-1/replay", ""));
		}
		finally {
			server.start();
		}

		// Accepted once the starter sees Redis again; fulfilled once the listener has read again (and, the server
		// having restarted empty, created its group again).
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> http.post("/api/orders", "{\"item\": \"toaster\", \"quantity\": 3}").status() == 202);
		await().atMost(Duration.ofSeconds(20)).until(() -> fulfilledItems(http).contains("toaster"));
		assertThat(http.get("/api/orders/dead-letters").status()).isEqualTo(200);
	}

	private static boolean isFulfilled(HttpClientSupport http, String id) throws Exception {
		for (JsonNode order : http.get("/api/orders/fulfilled").json()) {
			if (order.get("id").asString().equals(id)) {
				return true;
			}
		}
		return false;
	}

	private static List<String> fulfilledItems(HttpClientSupport http) throws Exception {
		List<String> items = new ArrayList<>();
		for (JsonNode order : http.get("/api/orders/fulfilled").json()) {
			items.add(order.get("item").asString());
		}
		return items;
	}

}
