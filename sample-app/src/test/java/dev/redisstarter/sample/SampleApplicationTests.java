package dev.redisstarter.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/** With no Redis configured, the sample starts its own and reports it healthy. */
@Tag("compat")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Test
	void startsItsOwnRedisAndReportsItUp() throws Exception {
		LocalRedisServer server = this.context.getBean(LocalRedisServer.class);
		assertThat(server.isRunning()).isTrue();
		this.context.getBean(StringRedisTemplate.class).opsForValue().set("sample-probe", "1");
		assertThat(server.command("GET", "sample-probe")).isEqualTo("1");

		HttpResponse<String> health = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		JsonNode body = JsonMapper.builder().build().readTree(health.body());
		assertThat(body.at("/status").asString()).isEqualTo("UP");
		assertThat(body.at("/components/redis/status").asString()).isEqualTo("UP");
	}

}
