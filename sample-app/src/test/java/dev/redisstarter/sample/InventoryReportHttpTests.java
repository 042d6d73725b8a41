package dev.redisstarter.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealRedis
class InventoryReportHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void reportsUnderTheReadLockNeverSeeARestockUnderTheWriteLockHalfDone() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String prefix = "sku-" + UUID.randomUUID() + "-";
		List<String> skus = List.of(prefix + "a", prefix + "b", prefix + "c");
		String restock = "{\"skus\": [\"" + String.join("\", \"", skus) + "\"], \"stock\": %d}";
		String report = "/api/inventory-report?" + String.join("&", skus.stream().map((sku) -> "sku=" + sku).toList());
		assertThat(http.post("/api/inventory-report/restock", restock.formatted(0)).status()).isEqualTo(204);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<List<Long>>> reports = new ArrayList<>();
		List<Future<Integer>> restocks = new ArrayList<>();
		try {
			for (int i = 1; i <= 10; i++) {
				int stock = i;
				restocks.add(pool.submit(() -> http.post("/api/inventory-report/restock", restock.formatted(stock)).status()));
				for (int r = 0; r < 3; r++) {
					reports.add(pool.submit(() -> {
						HttpClientSupport.Response answer = http.get(report);
						assertThat(answer.status()).isEqualTo(200);
						List<Long> levels = new ArrayList<>();
						for (JsonNode level : answer.json()) {
							levels.add(level.get("stock").asLong());
						}
						return levels;
					}));
				}
			}
			for (Future<Integer> status : restocks) {
				assertThat(status.get(1, TimeUnit.MINUTES)).isEqualTo(204);
			}
			for (Future<List<Long>> levels : reports) {
				assertThat(levels.get(1, TimeUnit.MINUTES)).as("one restock's level on every SKU").hasSize(3)
					.containsOnly(levels.get().get(0));
			}
		}
		finally {
			pool.shutdown();
		}
	}

}
