package dev.redisstarter.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealRedis
class InventoryHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void twoHundredConcurrentReservesOfAStockOfFiftySucceedExactlyFiftyTimes() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String item = "/api/inventory/sku-" + UUID.randomUUID();
		assertThat(http.put(item, "{\"stock\": 50}").status()).isEqualTo(200);
		ExecutorService pool = Executors.newFixedThreadPool(200);
		List<Integer> statuses;
		try {
			List<Future<Integer>> requests = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				requests.add(pool.submit(() -> http.post(item + "/reserve", "").status()));
			}
			statuses = new ArrayList<>();
			for (Future<Integer> request : requests) {
				statuses.add(request.get(2, TimeUnit.MINUTES));
			}
		}
		finally {
			pool.shutdown();
		}
		Map<Integer, Long> counts = statuses.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(counts).containsEntry(200, 50L).containsEntry(409, 150L).hasSize(2);
		assertThat(http.get(item).json().get("stock").asLong()).isZero();
	}

	@Test
	void setsAndReadsAStockLevel() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String item = "/api/inventory/sku-" + UUID.randomUUID();
		assertThat(http.get(item).status()).isEqualTo(404);
		assertThat(http.put(item, "{\"stock\": 3}").json().get("stock").asLong()).isEqualTo(3);
		assertThat(http.post(item + "/reserve", "").json().get("stock").asLong()).isEqualTo(2);
		assertThat(http.get(item).json().get("stock").asLong()).isEqualTo(2);
		assertThat(http.put(item, "{\"stock\": -1}").status()).isEqualTo(400);
	}

}
