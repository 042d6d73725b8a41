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

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code sample.console.open-to-everyone=false}, as an application would run: the console sends visitors to sign
 * in, refuses a signed-in user without the role (403), and opens to the operator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "redis.starter.key-prefix=console-sign-in-${random.uuid}:", "sample.console.open-to-everyone=false" })
@RealRedis
class ConsoleSignInHttpTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Test
	void theConsoleOpensOnlyToSignedInUsersWithTheRole() throws Exception {
		HttpResponse<String> anonymous = send(client(), "GET", "/redis-starter/api/overview", null);
		assertThat(anonymous.statusCode()).isEqualTo(302);
		assertThat(anonymous.headers().firstValue("Location").orElse("")).endsWith("/login");
		HttpClient ann = signedIn("ann", "ann-password");
		assertThat(send(ann, "GET", "/redis-starter/api/overview", null).statusCode()).isEqualTo(403);
		HttpClient operator = signedIn("operator", "operator-password");
		assertThat(send(operator, "GET", "/redis-starter/api/overview", null).statusCode()).isEqualTo(200);
	}

	private HttpClient signedIn(String user, String password) throws Exception {
		HttpClient client = client();
		Matcher token = CSRF.matcher(send(client, "GET", "/login", null).body());
		assertThat(token.find()).isTrue();
		HttpResponse<String> signedIn = send(client, "POST", "/login", "username=" + user + "&password=" + password
				+ "&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8));
		assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
		return client;
	}

	private static HttpClient client() {
		return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
	}

	private HttpResponse<String> send(HttpClient client, String method, String path, String form) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (form != null) {
			request.header("Content-Type", "application/x-www-form-urlencoded");
		}
		return client.send(request.method(method, (form != null) ? HttpRequest.BodyPublishers.ofString(form)
				: HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
	}

}
