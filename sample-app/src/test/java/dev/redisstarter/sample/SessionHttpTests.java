package dev.redisstarter.sample;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "redis.starter.session.ttl=1s")
@RealRedis
class SessionHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void createsReadsUsesAndDestroysASession() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String user = "ann-" + UUID.randomUUID();
		HttpClientSupport.Response created = http.post("/api/sessions",
				"{\"userId\":\"" + user + "\",\"data\":{\"theme\":\"dark\",\"cart\":{\"items\":2}}}");
		assertThat(created.status()).isEqualTo(201);
		String id = created.json().get("id").asString();

		JsonNode read = http.get("/api/sessions/" + id).json();
		assertThat(read.get("userId").asString()).isEqualTo(user);
		assertThat(read.at("/data/cart/items").asInt()).isEqualTo(2);

		HttpClientSupport.Response me = http.get("/api/me", "Authorization", "Bearer " + id);
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("userId").asString()).isEqualTo(user);

		assertThat(http.delete("/api/sessions/" + id).status()).isEqualTo(204);
		assertThat(http.get("/api/sessions/" + id).status()).isEqualTo(404);
		HttpClientSupport.Response ended = http.get("/api/me", "Authorization", "Bearer " + id);
		assertThat(ended.status()).isEqualTo(401);
		assertThat(ended.header("Content-Type")).startsWith("application/problem+json");
		assertThat(ended.header("WWW-Authenticate")).isEqualTo("Bearer");
	}

	@Test
	void anExpiredOrMissingSessionIsAnswered401() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		assertThat(http.get("/api/me").status()).isEqualTo(401);
		String id = http.post("/api/sessions", "{\"userId\":\"bo-" + UUID.randomUUID() + "\"}").json().get("id").asString();
		assertThat(http.get("/api/me", "Authorization", "Bearer " + id).status()).isEqualTo(200);
		Thread.sleep(1300);
		HttpClientSupport.Response expired = http.get("/api/me", "Authorization", "Bearer " + id);
		assertThat(expired.status()).isEqualTo(401);
		assertThat(expired.json().get("detail").asString()).contains("ended");
	}

	@Test
	void destroysAllOfAUsersSessions() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String user = "cy-" + UUID.randomUUID();
		for (int i = 0; i < 3; i++) {
			http.post("/api/sessions", "{\"userId\":\"" + user + "\"}");
		}
		assertThat(http.delete("/api/users/" + user + "/sessions").json().get("destroyed").asInt()).isEqualTo(3);
		assertThat(http.delete("/api/users/" + user + "/sessions").json().get("destroyed").asInt()).isZero();
	}

}
