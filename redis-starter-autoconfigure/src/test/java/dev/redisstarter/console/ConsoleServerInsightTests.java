package dev.redisstarter.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.web.servlet.MockMvc;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The server insight's bounds: per master on a Cluster, and a sampled scan that stops at its time budget on a
 * keyspace of a million keys, or at its sample size, whichever comes first.
 */
@RealRedis
class ConsoleServerInsightTests {

	private static final int MILLION = 1_000_000;

	/** Loads keys {@code <prefix><n>} without a TTL, in one script (seconds for a million, no round trip each). */
	private static final String LOAD = "for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do redis.call('SET', ARGV[1] .. i, 'v') end";

	@Test
	void onAClusterTheOverviewAndTheInsightAnswerPerMaster() {
		ConsoleContexts.runner(SharedRedis.cluster())
			.withPropertyValues("redis.starter.console.sample-size=50")
			.run((context) -> {
				MockMvc mvc = ConsoleContexts.mvc(context);
				JsonNode overview = ConsoleApiTests.json(mvc, get("/redis-starter/api/overview").with(ConsoleContexts.withRole()), 200);
				List<String> infoNodes = new ArrayList<>();
				overview.get("server").forEach((node) -> {
					assertThat(node.get("error").isNull()).as(node.toString()).isTrue();
					assertThat(node.get("version").asString()).isNotBlank();
					infoNodes.add(node.get("node").asString());
				});
				List<String> masters = SharedRedis.cluster().masters().stream().map(LocalRedisServer::port)
					.map((port) -> ":" + port).toList();
				assertThat(infoNodes).hasSize(3).doesNotHaveDuplicates();
				assertThat(String.join(" ", infoNodes)).contains(masters);

				JsonNode insight = ConsoleApiTests.json(mvc, get("/redis-starter/api/server").with(ConsoleContexts.withRole()), 200);
				assertThat(insight.get("nodes")).hasSize(3);
				insight.get("nodes").forEach((node) -> {
					assertThat(node.get("error").isNull()).as(node.toString()).isTrue();
					assertThat(node.get("slowlog").isArray()).isTrue();
					assertThat(node.get("sample").get("sampled").asLong()).isBetween(0L, 50L);
				});
			});
	}

	@Test
	void whatTheRedisUserIsNotGrantedShowsOnThePageAndLeavesTheApplicationsHealthAlone() {
		try (LocalRedisServer server = LocalRedisServer.builder().user("app on >app-secret ~console-* &* +@all -slowlog").build().start()) {
			server.command("SET", "elsewhere:1", "not the application's");
			ConsoleContexts.runner(server.as("app", "app-secret")).run((context) -> {
				JsonNode node = ConsoleApiTests.json(ConsoleContexts.mvc(context),
						get("/redis-starter/api/server").with(ConsoleContexts.withRole()), 200).get("nodes").get(0);
				assertThat(node.get("error").isNull()).as(node.toString()).isTrue();
				assertThat(node.get("slowlogError").asString()).contains("SLOWLOG").contains("NOPERM");
				assertThat(node.get("sample").get("refused").asLong()).as("the key outside ~console-*").isEqualTo(1);
				assertThat(node.get("sample").get("byPrefix").has("elsewhere:")).isFalse();
				assertThat(context.getBean(RedisAccess.class).permissions().current()).as("nothing for health to report")
					.isEmpty();
			});
		}
	}

	@Test
	void theSampledScanStopsAtItsTimeBudgetOnAMillionKeysAndAtItsSizeWhenThatComesFirst() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			for (int from = 1; from <= MILLION; from += 250_000) {
				server.command("EVAL", LOAD, "0", "load:cache:", String.valueOf(from), String.valueOf(from + 249_999));
			}
			assertThat(server.command("DBSIZE")).isEqualTo((long) MILLION);
			ConsoleContexts.runner(server)
				.withPropertyValues("redis.starter.key-prefix=load:", "redis.starter.console.sample-size=" + 2 * MILLION,
						"redis.starter.console.sample-time-budget=200ms")
				.run((context) -> {
					MockMvc mvc = ConsoleContexts.mvc(context);
					long start = System.nanoTime();
					JsonNode sample = ConsoleApiTests.json(mvc, get("/redis-starter/api/server").with(ConsoleContexts.withRole()), 200)
						.get("nodes").get(0).get("sample");
					Duration took = Duration.ofNanos(System.nanoTime() - start);
					assertThat(sample.get("stoppedBy").asString()).isEqualTo("time");
					assertThat(sample.get("sampled").asLong()).isPositive().isLessThan(MILLION / 4);
					assertThat(sample.get("elapsedMillis").asLong()).isBetween(200L, 1_000L);
					assertThat(took).isLessThan(Duration.ofSeconds(2));
					assertThat(sample.get("byCapability").get("cache").get("keys").asLong())
						.isEqualTo(sample.get("sampled").asLong());
					assertThat(sample.get("withoutTtl").asLong()).as("SET without a TTL").isEqualTo(sample.get("sampled").asLong());
					assertThat(sample.get("withoutTtlKeys").size()).isEqualTo(20);
					assertThat(sample.get("biggest").get(0).get("type").asString()).isEqualTo("string");
				});
			ConsoleContexts.runner(server)
				.withPropertyValues("redis.starter.key-prefix=load:", "redis.starter.console.sample-size=500",
						"redis.starter.console.sample-time-budget=10s")
				.run((context) -> {
					JsonNode sample = ConsoleApiTests.json(ConsoleContexts.mvc(context),
							get("/redis-starter/api/server").with(ConsoleContexts.withRole()), 200)
						.get("nodes").get(0).get("sample");
					assertThat(sample.get("stoppedBy").asString()).isEqualTo("size");
					assertThat(sample.get("sampled").asLong()).isEqualTo(500);
				});
		}
	}


	@Test
	void concurrentInsightRequestsShareOneSampleInsteadOfEachScanning() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			server.command("EVAL", LOAD, "0", "load:cache:", "1", "200000");
			ConsoleContexts.runner(server)
				.withPropertyValues("redis.starter.key-prefix=load:", "redis.starter.console.sample-size=" + MILLION,
						"redis.starter.console.sample-time-budget=600ms")
				.run((context) -> {
					MockMvc mvc = ConsoleContexts.mvc(context);
					server.command("CONFIG", "RESETSTAT");
					int requests = 4;
					ExecutorService threads = Executors.newFixedThreadPool(requests);
					CountDownLatch start = new CountDownLatch(1);
					List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
					for (int i = 0; i < requests; i++) {
						answers.add(CompletableFuture.supplyAsync(() -> {
							try {
								start.await();
								return ConsoleApiTests.json(mvc, get("/redis-starter/api/server").with(ConsoleContexts.withRole()), 200);
							}
							catch (Exception ex) {
								throw new IllegalStateException(ex);
							}
						}, threads));
					}
					start.countDown();
					long sampled = 0;
					for (CompletableFuture<JsonNode> answer : answers) {
						sampled = Math.max(sampled, answer.join().get("nodes").get(0).get("sample").get("sampled").asLong());
					}
					threads.shutdown();
					long scans = 0;
					for (String line : String.valueOf(server.command("INFO", "commandstats")).split("\r?\n")) {
						if (line.startsWith("cmdstat_scan:calls=")) {
							scans = Long.parseLong(line.substring("cmdstat_scan:calls=".length(), line.indexOf(',')));
						}
					}
					// One sample scans about sampled / 100 pages; one per request would be about four times that.
					assertThat(sampled).isPositive();
					assertThat(scans).as("SCAN pages for " + requests + " concurrent requests, " + sampled + " keys sampled")
						.isLessThan(2 * (sampled / 100) + 10);
				});
		}
	}

}
