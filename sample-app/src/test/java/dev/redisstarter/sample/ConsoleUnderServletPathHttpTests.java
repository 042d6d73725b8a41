package dev.redisstarter.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the DispatcherServlet under a servlet path ({@code spring.mvc.servlet.path}), the console is served under
 * that path, and its access check still applies there: to a user without the console's role (here: nobody signed
 * in), every console request is refused (403, 404, or the sample's login page), whatever its spelling (double slash,
 * path parameter, encoded character) or method.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "redis.starter.key-prefix=console-path-${random.uuid}:", "spring.mvc.servlet.path=/app",
				"sample.console.open-to-everyone=false" })
@RealRedis
class ConsoleUnderServletPathHttpTests {

	@LocalServerPort
	private int port;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void aClosedConsoleUnderAServletPathRefusesEveryRequest() throws Exception {
		List<String> reads = List.of("/app/redis-starter/", "/app/redis-starter/api/overview",
				"/app/redis-starter/api/server", "/app/redis-starter/api/queues", "/app/redis-starter/static/console.js",
				"/app//redis-starter/api/overview", "/app/redis-starter;jsessionid=1/api/overview",
				"/app/redis%2Dstarter/api/overview");
		for (String path : reads) {
			for (String method : List.of("GET", "HEAD")) {
				assertRefused(send(method, path), method + " " + path);
			}
		}
		assertRefused(send("GET", "/app/redis-starter/api/overview"), "the route exists");
		assertThat(send("POST", "/app/redis-starter/api/queues/emails/pause?seconds=60").statusCode()).isEqualTo(403);
		assertThat(send("DELETE", "/app/redis-starter/api/queues/emails/jobs/1").statusCode()).isEqualTo(403);
	}

	/** 400 (a path Spring Security's firewall rejects), 403, 404, or sent to sign in first. */
	private static void assertRefused(HttpResponse<Void> response, String what) {
		if (response.statusCode() == 302) {
			assertThat(response.headers().firstValue("Location").orElse("")).as(what).endsWith("/login");
			return;
		}
		assertThat(response.statusCode()).as(what).isIn(400, 403, 404);
	}

	private HttpResponse<Void> send(String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("X-Requested-With", "test")
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.discarding());
	}

}
