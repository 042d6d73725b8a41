package dev.redisstarter.sample;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Form login on the starter's Spring Session bridge: a signed-in user's HTTP session lives in Redis, a second
 * sign-in of the same user expires the first session; the console opens without a sign-in for a local try
 * ({@link ConsoleSignInHttpTests}: with that off).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "redis.starter.key-prefix=account-${random.uuid}:")
@RealRedis
class AccountHttpTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Autowired
	private RedisConnectionFactory connectionFactory;

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aSignedInUsersSessionLivesInRedisAndASecondSignInExpiresTheFirst() throws Exception {
		Browser first = new Browser();
		assertThat(first.get("/account").statusCode()).as("to the login page").isEqualTo(302);
		first.signIn("ann", "ann-password");
		JsonNode account = this.json.readTree(first.get("/account").body());
		assertThat(account.get("user").asString()).isEqualTo("ann");
		assertThat(account.get("sessions").asInt()).isEqualTo(1);
		String sessionId = account.get("sessionId").asString();
		StringRedisTemplate redis = new StringRedisTemplate(this.connectionFactory);
		assertThat(redis.keys("account-*session*")).as("the session is in Redis")
			.anyMatch((key) -> key.contains(sessionId));

		Browser second = new Browser();
		second.signIn("ann", "ann-password");
		JsonNode again = this.json.readTree(second.get("/account").body());
		assertThat(again.get("sessions").asInt()).as("at most one session per user").isEqualTo(1);
		assertThat(again.get("sessionId").asString()).isNotEqualTo(sessionId);
		assertThat(first.get("/account").body()).as("the first session expired").doesNotContain("\"user\"");
	}

	@Test
	void theConsoleIsOpenForALocalTryAndTheApiNeedsNoSignIn() throws Exception {
		assertThat(new Browser().get("/redis-starter/api/overview").statusCode())
			.as("sample.console.open-to-everyone").isEqualTo(200);
		assertThat(new Browser().get("/api/products/1").statusCode()).isEqualTo(200);
	}

	@Test
	void theApiNeedsNeitherASignInNorACsrfToken() throws Exception {
		HttpResponse<String> created = new Browser().post("/api/sessions", "{\"userId\":\"bob\"}");
		assertThat(created.statusCode()).isEqualTo(201);
	}

	/** A client that keeps cookies and does not follow redirects, as a browser session would be. */
	private final class Browser {

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();

		HttpResponse<String> get(String path) throws Exception {
			return this.client.send(HttpRequest.newBuilder(uri(path)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> post(String path, String body) throws Exception {
			return this.client.send(HttpRequest.newBuilder(uri(path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		void signIn(String user, String password) throws Exception {
			Matcher token = CSRF.matcher(get("/login").body());
			assertThat(token.find()).as("the login form's CSRF token").isTrue();
			String form = "username=" + user + "&password=" + password + "&_csrf="
					+ URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
			HttpResponse<String> signedIn = this.client.send(HttpRequest.newBuilder(uri("/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(signedIn.statusCode()).isEqualTo(302);
			assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
		}

		private URI uri(String path) {
			return URI.create("http://127.0.0.1:" + AccountHttpTests.this.port + path);
		}

	}

}
