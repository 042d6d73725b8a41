package dev.redisstarter.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/orders} into the {@code orders} stream, handled by the sample's {@code @StreamListener}; a poison
 * order retried and dead-lettered; {@code GET /api/orders/dead-letters} and replay; {@code /actuator/streams}; on a
 * real Redis, with the sample's own {@code application.yml} (3 deliveries, 200 ms initial backoff).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = OrdersHttpTests.APP_NAME_PROPERTY)
@RealRedis
class OrdersHttpTests {

	/** A name of its own, so that other test classes' instances on the shared Redis do not take part. */
	static final String APP_NAME_PROPERTY = "spring.application.name=sample-orders-tests";

	/** The sample's {@code redis.starter.stream.named.orders.max-deliveries}. */
	private static final int MAX_DELIVERIES = 3;

	private static final Duration WITHIN = Duration.ofSeconds(10);

	private static final String FAILED_METRIC = "/actuator/metrics/redis.starter.stream.failed?tag=stream:orders&tag=group:fulfilment";

	@LocalServerPort
	private int port;

	private HttpClientSupport http;

	@BeforeEach
	void noDeadLetters() throws Exception {
		this.http = new HttpClientSupport(this.port);
		// Dead letters of another test of this class (or of an earlier run on an external Redis).
		assertThat(this.http.delete("/actuator/streams/orders").status()).isEqualTo(200);
	}

	@Test
	void anOrderIsAnswered202WithItsEntryIdAndFulfilledByTheStreamListener() throws Exception {
		HttpClientSupport.Response added = this.http.post("/api/orders", "{\"item\": \"kettle\", \"quantity\": 2}");

		assertThat(added.status()).isEqualTo(202);
		String id = added.json().get("id").asString();
		assertThat(id).matches("\\d+-\\d+");
		await().atMost(WITHIN).until(() -> fulfilled(id) != null);
		JsonNode fulfilled = fulfilled(id);
		assertThat(fulfilled.get("item").asString()).isEqualTo("kettle");
		assertThat(fulfilled.get("quantity").asInt()).isEqualTo(2);
		assertThat(fulfilled.get("deliveries").asLong()).as("handled on the first delivery").isEqualTo(1);
		// Acknowledged after the listener returned: nothing stays pending in the group.
		await().atMost(WITHIN).until(() -> fulfilmentGroup().get("pending").asLong() == 0);
		assertThat(this.http.get("/api/orders/dead-letters").json()).isEmpty();
	}

	@Test
	void aPoisonOrderIsDeliveredExactlyMaxDeliveriesTimesThenListedAsADeadLetterWithItsError() throws Exception {
		double failedBefore = failedDeliveries();

		String id = this.http.post("/api/orders", "{\"item\": \"poison\", \"quantity\": 1}").json().get("id").asString();

		await().atMost(WITHIN).until(() -> deadLetters().size() == 1);
		JsonNode letter = deadLetters().get(0);
		assertThat(letter.get("orderId").asString()).isEqualTo(id);
		assertThat(letter.get("item").asString()).isEqualTo("poison");
		assertThat(letter.get("deliveries").asLong()).isEqualTo(MAX_DELIVERIES);
		assertThat(letter.get("error").asString()).contains("failed on all 3 deliveries")
			.contains("The warehouse refuses to ship 'poison'");
		assertThat(letter.get("exception").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(failedDeliveries() - failedBefore).as("the listener failed once per delivery")
			.isEqualTo(MAX_DELIVERIES);
		assertThat(fulfilled(id)).isNull();
		assertThat(fulfilmentGroup().get("pending").asLong()).as("acknowledged when moved to the dead letters")
			.isZero();
	}

	@Test
	void aReplayedPoisonOrderComesBackAsANewEntryAndDiesAgainUnderANewDeadLetterId() throws Exception {
		this.http.post("/api/orders", "{\"item\": \"poison\", \"quantity\": 4}");
		await().atMost(WITHIN).until(() -> deadLetters().size() == 1);
		String deadLetterId = deadLetters().get(0).get("id").asString();

		HttpClientSupport.Response replayed = this.http.post("/api/orders/dead-letters/" + deadLetterId + "/replay", "");

		assertThat(replayed.status()).isEqualTo(202);
		String newEntryId = replayed.json().get("id").asString();
		assertThat(newEntryId).matches("\\d+-\\d+");
		await().atMost(WITHIN).until(() -> {
			List<JsonNode> letters = deadLetters();
			return letters.size() == 1 && !letters.get(0).get("id").asString().equals(deadLetterId);
		});
		JsonNode again = deadLetters().get(0);
		assertThat(again.get("orderId").asString()).as("the replayed entry").isEqualTo(newEntryId);
		assertThat(again.get("item").asString()).isEqualTo("poison");
		assertThat(again.get("deliveries").asLong()).isEqualTo(MAX_DELIVERIES);
		assertThat(this.http.post("/api/orders/dead-letters/" + deadLetterId + "/replay", "").status())
			.as("the first dead letter is gone").isEqualTo(404);
	}

	@Test
	void replayingADeadLetterThatDoesNotExistAnswers404AndAMalformedId400() throws Exception {
		HttpClientSupport.Response unknown = this.http.post("/api/orders/dead-letters/1-1/replay", "");

		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(unknown.json().get("detail").asString()).contains("no dead letter '1-1'");
		assertThat(this.http.post("/api/orders/dead-letters/not-an-id/replay", "").status()).isEqualTo(400);
	}

	@Test
	void anOrderWithoutAnItemOrWithAQuantityBelowOneIsAnswered400AndNotAdded() throws Exception {
		long length = ordersStream().get("length").asLong();

		for (String body : List.of("{\"item\": \"\", \"quantity\": 1}", "{\"item\": \"  \", \"quantity\": 1}",
				"{\"quantity\": 1}", "{\"item\": \"kettle\", \"quantity\": 0}", "{\"item\": \"kettle\", \"quantity\": -2}",
				"{\"item\": \"kettle\"}", "{\"item\": \"a\\nb\", \"quantity\": 1}", "not json")) {
			HttpClientSupport.Response answer = this.http.post("/api/orders", body);
			assertThat(answer.status()).as(body).isEqualTo(400);
		}
		assertThat(this.http.post("/api/orders", "{\"item\": \"\", \"quantity\": 1}").json().get("detail").asString())
			.contains("'item' is required");
		assertThat(ordersStream().get("length").asLong()).isEqualTo(length);
		assertThat(this.http.get("/api/orders/dead-letters?limit=0").status()).isEqualTo(400);
	}

	@Test
	void theStreamsEndpointShowsTheOrdersStreamItsFulfilmentGroupAndItsListener() throws Exception {
		HttpClientSupport.Response streams = this.http.get("/actuator/streams");

		assertThat(streams.status()).isEqualTo(200);
		assertThat(ordersStream().get("key").asString()).isEqualTo("sample-orders-tests:stream:{orders}");
		assertThat(fulfilmentGroup()).isNotNull();
		assertThat(StreamSupport.stream(streams.json().get("listeners").spliterator(), false))
			.anySatisfy((listener) -> {
				assertThat(listener.get("stream").asString()).isEqualTo("orders");
				assertThat(listener.get("group").asString()).isEqualTo("fulfilment");
			});
	}

	@Test
	void twoInstancesShareTheOrdersAndEachOrderIsFulfilledByExactlyOneOfThem() throws Exception {
		try (SampleInstance other = SampleInstance.start(SharedRedis.standalone(), APP_NAME_PROPERTY)) {
			HttpClientSupport otherHttp = new HttpClientSupport(other.port());
			// Its consumer reads once it is in the group; the streams health component is UP then.
			await().atMost(WITHIN)
				.until(() -> otherHttp.get("/actuator/health").json().at("/components/streams/status").asString()
					.equals("UP"));
			Set<String> ids = new HashSet<>();
			for (int i = 0; i < 40; i++) {
				HttpClientSupport http = (i % 2 == 0) ? this.http : otherHttp;
				ids.add(http.post("/api/orders", "{\"item\": \"shared-" + i + "\", \"quantity\": 1}")
					.json().get("id").asString());
			}

			await().atMost(WITHIN).until(() -> {
				List<String> fulfilled = fulfilledIds(this.http);
				fulfilled.addAll(fulfilledIds(otherHttp));
				return fulfilled.containsAll(ids);
			});
			List<String> here = fulfilledIds(this.http);
			List<String> there = fulfilledIds(otherHttp);
			here.retainAll(ids);
			there.retainAll(ids);
			assertThat(here).as("fulfilled here").isNotEmpty().doesNotHaveDuplicates();
			assertThat(there).as("fulfilled by the other instance").isNotEmpty().doesNotHaveDuplicates();
			assertThat(here).as("fulfilled by both").doesNotContainAnyElementsOf(there);
			assertThat(here.size() + there.size()).isEqualTo(ids.size());
		}
	}

	private List<JsonNode> deadLetters() throws Exception {
		HttpClientSupport.Response response = this.http.get("/api/orders/dead-letters");
		assertThat(response.status()).isEqualTo(200);
		return StreamSupport.stream(response.json().spliterator(), false).toList();
	}

	private JsonNode fulfilled(String id) throws Exception {
		for (JsonNode order : this.http.get("/api/orders/fulfilled").json()) {
			if (order.get("id").asString().equals(id)) {
				return order;
			}
		}
		return null;
	}

	private static List<String> fulfilledIds(HttpClientSupport http) throws Exception {
		List<String> ids = new ArrayList<>();
		for (JsonNode order : http.get("/api/orders/fulfilled").json()) {
			ids.add(order.get("id").asString());
		}
		return ids;
	}

	private JsonNode ordersStream() throws Exception {
		return this.http.get("/actuator/streams/orders").json();
	}

	private JsonNode fulfilmentGroup() throws Exception {
		for (JsonNode group : ordersStream().get("groups")) {
			if (group.get("name").asString().equals("fulfilment")) {
				return group;
			}
		}
		return null;
	}

	private double failedDeliveries() throws Exception {
		HttpClientSupport.Response metric = this.http.get(FAILED_METRIC);
		if (metric.status() == 404) {
			return 0;
		}
		return metric.json().get("measurements").get(0).get("value").asDouble();
	}

}
