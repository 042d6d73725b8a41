package dev.redisstarter.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** With no trusted proxies (the default), a client cannot buy a fresh bucket with a made-up X-Forwarded-For. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "redis.starter.key-prefix=spoof-${random.uuid}:")
@RealRedis
class UntrustedForwardedForHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void aSpoofedForwardedForFromAnUntrustedAddressIsIgnored() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		// The "limited" policy is a fixed window of 10 s: eleven requests must not straddle two windows.
		HttpClientSupport.awaitRoomInFixedWindow(java.time.Duration.ofSeconds(10));
		for (int i = 1; i <= 10; i++) {
			assertThat(http.get("/api/limited", "X-Forwarded-For", "203.0.113." + i).status()).isEqualTo(200);
		}
		assertThat(http.get("/api/limited", "X-Forwarded-For", "203.0.113.99").status()).isEqualTo(429);
	}

}
