package dev.redisstarter.sample;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long key part taken from the path on the sample's read and "not found" endpoints: refused by the bound (413) or
 * answered, never echoed whole in an error answer, never logged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class CallerDataEchoHttpTests {

	private static final String RUN = "w".repeat(3000);

	@LocalServerPort
	private int port;

	@Test
	void errorAnswersDoNotEchoALongKeyFromThePath(CapturedOutput output) throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		List<String> echoed = new ArrayList<>();
		record Call(String method, String path) {
		}
		List<Call> calls = List.of(new Call("GET", "/api/inventory/x" + RUN),
				new Call("GET", "/api/emails/x" + RUN),
				new Call("GET", "/api/leaderboards/echo/members/x" + RUN),
				new Call("POST", "/api/orders/dead-letters/x" + RUN + "/replay"),
				new Call("GET", "/api/sessions/x" + RUN),
				new Call("DELETE", "/api/users/x" + RUN + "/sessions"),
				new Call("GET", "/api/quotes/x" + RUN));
		for (Call call : calls) {
			HttpClientSupport.Response answer = call.method().equals("GET") ? http.get(call.path())
					: call.method().equals("POST") ? http.post(call.path(), "") : http.delete(call.path());
			assertThat(answer.status()).as(call.path().substring(0, 30)).isLessThan(500);
			// A 2xx may well carry the caller's own key (a quote for that sku); a refusal or "not found" need not.
			if (answer.status() >= 400 && answer.body().contains("wwwwwwwwwwwwwwwwwwww")) {
				echoed.add(call.method() + " " + call.path().substring(0, 30) + "... (" + answer.status() + ")");
			}
		}
		assertThat(output.getAll()).as("logs").doesNotContain("wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww");
		assertThat(echoed).as("answers that echo the path segment").isEmpty();
	}

}
