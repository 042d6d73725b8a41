package dev.redisstarter.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * E-mails with the sample's Redis stopped: enqueueing and reading a job's state answer 503 within a second; once
 * Redis is back (empty: the test server keeps nothing) the mailer's worker has resumed by itself and sends new
 * e-mails, without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=sample-emails-down-tests", "redis.starter.resilience.liveness-interval=1s" })
@DirtiesContext
class EmailsWhileRedisIsDownHttpTests extends RedisDownHttpTestSupport {

	private static final String EMAIL = "{\"to\": \"ada@example.com\", \"subject\": \"Hello\"}";

	@Test
	void emailsAnswer503WhileRedisIsStoppedAndAreSentAgainOnceItIsBack() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String before = http.post("/api/emails", EMAIL).json().get("jobId").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> isCompleted(http, before));

		server.stop();
		try {
			assertUnavailableWithin("POST /api/emails", () -> http.post("/api/emails", EMAIL));
			assertUnavailableWithin("GET /api/emails/{jobId}", () -> http.get("/api/emails/" + before));
		}
		finally {
			server.start();
		}

		// Accepted once the starter sees Redis again; sent once the worker has taken jobs again.
		AtomicReference<String> after = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
			HttpClientSupport.Response enqueued = http.post("/api/emails",
					"{\"to\": \"grace@example.com\", \"subject\": \"Back\"}");
			if (enqueued.status() == 202) {
				after.set(enqueued.json().get("jobId").asString());
			}
			return after.get() != null;
		});
		await().atMost(Duration.ofSeconds(20)).until(() -> isCompleted(http, after.get()));
		assertThat(http.get("/api/emails/" + after.get()).json().get("attempts").asInt()).isEqualTo(1);
		assertThat(sentTo(http, "grace@example.com")).isTrue();
	}

	private static boolean isCompleted(HttpClientSupport http, String jobId) throws Exception {
		HttpClientSupport.Response status = http.get("/api/emails/" + jobId);
		return status.status() == 200 && status.json().get("state").asString().equals("completed");
	}

	private static boolean sentTo(HttpClientSupport http, String to) throws Exception {
		for (JsonNode email : http.get("/api/emails/sent").json()) {
			if (email.get("to").asString().equals(to)) {
				return true;
			}
		}
		return false;
	}

}
