package dev.redisstarter.sample;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a caller may put into Redis is bounded: data over a bound is answered 413 (or the controller's 400) as a
 * problem that does not echo it, nothing is written, and the log never holds it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class InputBoundsHttpTests {

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void sessionDataOverTheBoundIsAnswered413AndNothingIsStored(CapturedOutput output) throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String user = "big-" + UUID.randomUUID();
		String marker = "secret-" + UUID.randomUUID();
		String data = marker + "x".repeat(1024 * 1024);
		HttpClientSupport.Response refused = http.post("/api/sessions",
				"{\"userId\":\"" + user + "\",\"data\":{\"blob\":\"" + data + "\"}}");
		assertThat(refused.status()).isEqualTo(413);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("property").asString()).isEqualTo("redis.starter.session.max-size");
		assertThat(refused.body()).doesNotContain(marker).hasSizeLessThan(1000);
		assertThat(keysContaining(user)).isZero();
		assertThat(output.getAll()).doesNotContain(marker);
	}

	@Test
	void aUserIdOverTheBoundIsAnsweredWithoutEchoingIt(CapturedOutput output) throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String user = "long-" + UUID.randomUUID() + "u".repeat(4000);
		HttpClientSupport.Response refused = http.post("/api/sessions", "{\"userId\":\"" + user + "\"}");
		assertThat(refused.status()).isEqualTo(413);
		assertThat(refused.body()).doesNotContain("uuuuuuuuuu").contains("max-user-id-length");
		assertThat(keysContaining(user.substring(0, 41))).isZero();
		assertThat(output.getAll()).doesNotContain("uuuuuuuuuuuuuuuuuuuu");
	}

	@Test
	void aLeaderboardMemberOverTheBoundIsRefusedAndNotStored(CapturedOutput output) throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String board = "/api/leaderboards/bounded-" + UUID.randomUUID();
		String member = "m-" + UUID.randomUUID() + "z".repeat(10_000);
		HttpClientSupport.Response refused = http.post(board + "/scores", "{\"member\":\"" + member + "\",\"score\":1}");
		assertThat(refused.status()).isBetween(400, 413);
		assertThat(refused.body()).doesNotContain("zzzzzzzzzz").contains("max-member-length");
		assertThat(http.get(board + "/top?n=10").json()).isEmpty();
		assertThat(output.getAll()).doesNotContain("zzzzzzzzzzzzzzzzzzzz");
	}

	@Test
	void aCacheTagOverTheBoundIsRefusedWithoutEchoingIt(CapturedOutput output) throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String category = "c" + UUID.randomUUID().toString().replace("-", "") + "t".repeat(2000);
		HttpClientSupport.Response refused = http.post("/api/categories/" + category + "/invalidate", "");
		assertThat(refused.status()).isEqualTo(413);
		assertThat(refused.json().get("instance").asString()).isEqualTo("/api/categories/...");
		assertThat(refused.body()).doesNotContain("tttttttttt").contains("max-key-part-length");
		assertThat(keysContaining(category.substring(0, 33))).isZero();
		assertThat(output.getAll()).doesNotContain("tttttttttttttttttttt");
	}

	@Test
	void aLockNameOverTheBoundIsRefusedWithoutEchoingItAndNothingIsStored(CapturedOutput output) throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String sku = "s" + UUID.randomUUID().toString().replace("-", "") + "q".repeat(2000);
		HttpClientSupport.Response refused = http.post("/api/inventory/" + sku + "/reserve", "");
		assertThat(refused.status()).isEqualTo(413);
		assertThat(refused.body()).doesNotContain("qqqqqqqqqq").contains("max-key-part-length");
		assertThat(keysContaining(sku.substring(0, 33))).isZero();
		assertThat(output.getAll()).doesNotContain("qqqqqqqqqqqqqqqqqqqq");
	}

	private long keysContaining(String text) {
		long found = 0;
		try (var cursor = this.redis.scan(ScanOptions.scanOptions().match("*" + text + "*").count(1000).build())) {
			while (cursor.hasNext()) {
				cursor.next();
				found++;
			}
		}
		return found;
	}

}
