package dev.redisstarter.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.QueueCounts;
import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/emails} onto the {@code emails} job queue, run by the sample's {@code @JobHandler}; mail to
 * {@code fail@example.com} retried and dead-lettered; {@code GET /api/emails/{jobId}}; on a real Redis, with the
 * sample's own {@code application.yml} (3 attempts, 200 ms initial backoff).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = EmailsHttpTests.APP_NAME_PROPERTY)
@RealRedis
class EmailsHttpTests {

	/** A name of its own, so that other test classes' instances on the shared Redis do not take part. */
	static final String APP_NAME_PROPERTY = "spring.application.name=sample-emails-tests";

	/** The sample's {@code redis.starter.queue.named.emails.attempts}. */
	private static final int ATTEMPTS = 3;

	private static final Duration WITHIN = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private JobQueue jobs;

	@Autowired
	private JobDeadLetters deadLetters;

	private HttpClientSupport http;

	@BeforeEach
	void noDeadLetters() {
		this.http = new HttpClientSupport(this.port);
		// Dead letters of another test of this class (or of an earlier run on an external Redis).
		this.deadLetters.purgeAll("emails");
	}

	@Test
	void anEmailIsAnswered202WithItsJobIdAndSentOnTheFirstAttempt() throws Exception {
		HttpClientSupport.Response enqueued = this.http.post("/api/emails",
				"{\"to\": \"ada@example.com\", \"subject\": \"Welcome\"}");

		assertThat(enqueued.status()).isEqualTo(202);
		String jobId = enqueued.json().get("jobId").asString();
		assertThat(jobId).isNotBlank();
		await().atMost(WITHIN).until(() -> state(jobId).equals("completed"));
		JsonNode status = this.http.get("/api/emails/" + jobId).json();
		assertThat(status.get("attempts").asInt()).isEqualTo(1);
		assertThat(status.get("maxAttempts").asInt()).isEqualTo(ATTEMPTS);
		assertThat(status.get("error").isNull()).isTrue();
		List<JsonNode> sent = sent(jobId);
		assertThat(sent).as("sent once").hasSize(1);
		assertThat(sent.get(0).get("to").asString()).isEqualTo("ada@example.com");
		assertThat(sent.get(0).get("subject").asString()).isEqualTo("Welcome");
		assertThat(sent.get(0).get("attempt").asInt()).isEqualTo(1);
		assertThat(this.jobs.counts("emails").dead()).isZero();
	}

	@Test
	void mailToFailAtExampleComIsAttemptedExactlyThreeTimesThenDeadWithItsError() throws Exception {
		String jobId = this.http.post("/api/emails", "{\"to\": \"fail@example.com\", \"subject\": \"Bounce\"}")
			.json()
			.get("jobId")
			.asString();

		await().atMost(WITHIN).until(() -> state(jobId).equals("dead"));
		JsonNode status = this.http.get("/api/emails/" + jobId).json();
		assertThat(status.get("attempts").asInt()).isEqualTo(ATTEMPTS);
		assertThat(status.get("error").asString()).isEqualTo("The mail server rejects fail@example.com");
		assertThat(sent(jobId)).isEmpty();
		assertThat(this.deadLetters.list("emails", 0, 10)).singleElement().satisfies((letter) -> {
			assertThat(letter.id()).isEqualTo(jobId);
			assertThat(letter.errorType()).isEqualTo(IllegalStateException.class.getName());
			assertThat(letter.history()).as("one error per attempt").hasSize(ATTEMPTS);
		});
	}

	@Test
	void aJobThatDoesNotExistAnswers404() throws Exception {
		HttpClientSupport.Response unknown = this.http.get("/api/emails/no-such-job");

		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(unknown.json().get("detail").asString()).contains("no job 'no-such-job'");
	}

	@Test
	void anEmailWithoutAValidRecipientIsAnswered400AndNotEnqueued() throws Exception {
		QueueCounts before = this.jobs.counts("emails");

		for (String body : List.of("{\"subject\": \"Hi\"}", "{\"to\": \"\", \"subject\": \"Hi\"}",
				"{\"to\": \"   \", \"subject\": \"Hi\"}", "{\"to\": \"not-an-address\", \"subject\": \"Hi\"}",
				"{\"to\": \"a@b@example.com\"}", "{\"to\": \"ada@localhost\"}", "{\"to\": \"ada @example.com\"}",
				"{\"to\": \"ada@example.com\\n\"}", "{\"to\": \"ada@example.com\", \"subject\": \"a\\nb\"}",
				"{\"to\": 42}", "{\"to\": [\"ada@example.com\"]}", "not json", "")) {
			HttpClientSupport.Response answer = this.http.post("/api/emails", body);
			assertThat(answer.status()).as(body + " answered " + answer.body()).isEqualTo(400);
		}
		assertThat(this.http.post("/api/emails", "{\"to\": \"\"}").json().get("detail").asString())
			.contains("'to' is required");
		assertThat(enqueuedSoFar(this.jobs.counts("emails"))).isEqualTo(enqueuedSoFar(before));
	}

	@Test
	void theJobQueuesEndpointListsTheDeadEmailAndRetryingItRunsItsAttemptsAgainUntilItIsDeadOnceMore()
			throws Exception {
		String jobId = this.http.post("/api/emails", "{\"to\": \"fail@example.com\", \"subject\": \"Again\"}")
			.json()
			.get("jobId")
			.asString();
		await().atMost(WITHIN).until(() -> state(jobId).equals("dead"));

		HttpClientSupport.Response listed = this.http.get("/actuator/jobqueues");

		assertThat(listed.status()).isEqualTo(200);
		JsonNode emails = listed.json().at("/queues/emails");
		assertThat(emails.get("dead").asLong()).isEqualTo(1);
		assertThat(emails.get("deadLetters")).singleElement().satisfies((letter) -> {
			assertThat(letter.get("id").asString()).isEqualTo(jobId);
			assertThat(letter.get("attempts").asInt()).isEqualTo(ATTEMPTS);
			assertThat(letter.get("errorMessage").asString()).isEqualTo("The mail server rejects fail@example.com");
		});
		assertThat(emails.get("workers")).singleElement()
			.satisfies((worker) -> assertThat(worker.get("concurrency").asInt()).isEqualTo(4));

		// Held back for a moment, so that the retried job is seen waiting before the mailer takes it again.
		this.jobs.pause("emails", Duration.ofSeconds(1));
		HttpClientSupport.Response retried = this.http.post("/actuator/jobqueues/emails/" + jobId, "");

		assertThat(retried.status()).isEqualTo(200);
		assertThat(retried.json().get("replayed").asLong()).isEqualTo(1);
		JsonNode waiting = this.http.get("/api/emails/" + jobId).json();
		assertThat(waiting.get("state").asString()).isEqualTo("waiting");
		assertThat(waiting.get("attempts").asInt()).as("reset by the retry").isZero();
		await().atMost(WITHIN).until(() -> state(jobId).equals("dead"));
		JsonNode job = this.http.get("/actuator/jobqueues/emails/" + jobId).json();
		assertThat(job.get("attempts").asInt()).isEqualTo(ATTEMPTS);
		assertThat(job.get("history")).as("every failed attempt, before and after the retry").hasSize(2 * ATTEMPTS);
		assertThat(this.http.get("/actuator/jobqueues").json().at("/queues/emails/dead").asLong()).isEqualTo(1);
		assertThat(this.http.post("/actuator/jobqueues/emails/no-such-job", "").json().get("replayed").asLong())
			.as("not a dead letter")
			.isZero();
	}

	private String state(String jobId) throws Exception {
		HttpClientSupport.Response status = this.http.get("/api/emails/" + jobId);
		assertThat(status.status()).as(status.body()).isEqualTo(200);
		return status.json().get("state").asString();
	}

	private List<JsonNode> sent(String jobId) throws Exception {
		List<JsonNode> sent = new java.util.ArrayList<>();
		for (JsonNode email : this.http.get("/api/emails/sent").json()) {
			if (email.get("jobId").asString().equals(jobId)) {
				sent.add(email);
			}
		}
		return sent;
	}

	private static long enqueuedSoFar(QueueCounts counts) {
		return counts.waiting() + counts.delayed() + counts.active() + counts.completed() + counts.dead();
	}

}
