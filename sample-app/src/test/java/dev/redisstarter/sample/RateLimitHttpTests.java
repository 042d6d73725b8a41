package dev.redisstarter.sample;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Through the real embedded server, behind a trusted proxy (the test client), so each test is its own client. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "redis.starter.ratelimit.http.trusted-proxies=127.0.0.1")
@RealRedis
class RateLimitHttpTests {

	@LocalServerPort
	private int port;

	private static String newClient() {
		return "198.51.100." + (1 + Math.floorMod(UUID.randomUUID().hashCode(), 250)) + "-" + UUID.randomUUID();
	}

	@Test
	void theEleventhRequestInTheWindowGets429WithHeadersAndAProblemBody() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		// The "limited" policy is a fixed window of 10 s: eleven requests must not straddle two windows.
		HttpClientSupport.awaitRoomInFixedWindow(java.time.Duration.ofSeconds(10));
		String client = newClient();
		for (int i = 1; i <= 10; i++) {
			HttpClientSupport.Response ok = http.get("/api/limited", "X-Forwarded-For", client);
			assertThat(ok.status()).as("request %d", i).isEqualTo(200);
			assertThat(ok.header("RateLimit-Policy")).isEqualTo("\"limited\";q=10;w=10");
			assertThat(ok.header("RateLimit")).startsWith("\"limited\";r=" + (10 - i) + ";t=");
			assertThat(ok.header("Retry-After")).isNull();
		}
		HttpClientSupport.Response rejected = http.get("/api/limited", "X-Forwarded-For", client);
		assertThat(rejected.status()).isEqualTo(429);
		assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");
		assertThat(Integer.parseInt(rejected.header("Retry-After"))).isBetween(1, 10);
		assertThat(rejected.header("RateLimit")).startsWith("\"limited\";r=0;t=");
		JsonNode problem = rejected.json();
		assertThat(problem.get("status").asInt()).isEqualTo(429);
		assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
		assertThat(problem.get("detail").asString()).contains("Rate limit 'limited' (10 per 10 s) reached; retry after");
		assertThat(problem.get("instance").asString()).isEqualTo("/api/limited");

		assertThat(http.get("/api/limited", "X-Forwarded-For", newClient()).status())
			.as("another client behind the trusted proxy has its own bucket")
			.isEqualTo(200);
	}

	@Test
	void aRuleFromApplicationYmlLimitsScorePostsWithoutCode() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String client = newClient();
		String path = "/api/leaderboards/rule-" + UUID.randomUUID() + "/scores";
		for (int i = 0; i < 20; i++) {
			assertThat(http.post(path, "{\"member\":\"m\",\"score\":" + i + "}", "X-Forwarded-For", client).status())
				.isEqualTo(200);
		}
		HttpClientSupport.Response rejected = http.post(path, "{\"member\":\"m\",\"score\":99}", "X-Forwarded-For", client);
		assertThat(rejected.status()).isEqualTo(429);
		assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");
		assertThat(rejected.header("Retry-After")).isEqualTo("3");
		assertThat(rejected.header("RateLimit-Policy")).isEqualTo("\"score-posts\";q=20;w=60");
		assertThat(rejected.json().get("policy").asString()).isEqualTo("score-posts");
		assertThat(http.get(path.replace("/scores", "/top"), "X-Forwarded-For", client).status())
			.as("GET is not covered by the POST rule")
			.isEqualTo(200);
	}

}
