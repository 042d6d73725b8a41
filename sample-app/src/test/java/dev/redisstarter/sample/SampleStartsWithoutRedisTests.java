package dev.redisstarter.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample starts while its Redis is unreachable, as a plain Spring Boot application does: health is DOWN,
 * product reads are served from the database, and once Redis starts every endpoint works without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SampleStartsWithoutRedisTests {

	private static final int REDIS_PORT = freePort();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + REDIS_PORT);
	}

	@Test
	void startsWithoutRedisReportsDownThenWorksOnceRedisStarts() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		HttpClientSupport.Response health = http.get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		assertThat(health.body()).contains("\"redis\"").contains("DOWN");
		assertThat(http.get("/api/products/1").status()).as("served from the database").isEqualTo(200);
		assertThat(http.post("/api/inventory/sku-1/reserve", "").status()).isEqualTo(503);

		try (LocalRedisServer server = LocalRedisServer.builder().port(REDIS_PORT).build().start()) {
			RedisFaultHttpTests.awaitEverythingWorks(http);
			assertThat(http.get("/actuator/health").body()).contains("\"circuit\":\"closed\"");
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
