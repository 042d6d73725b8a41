package dev.redisstarter.sample;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.messaging.queue.JobSchedules;
import dev.redisstarter.messaging.queue.MissedTicks;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's {@code daily-digest} schedule: as {@code application.yml} declares it (7:00 Paris time, missed days
 * run once, into the {@code digests} queue), and, in an instance where it ticks every second instead, its ticks
 * enqueue jobs that the sample's digest handler completes on their first attempt.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = EmailsHttpTests.APP_NAME_PROPERTY)
@RealRedis
class DailyDigestTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private JobSchedules schedules;

	@Test
	void theDailyDigestIsScheduledAtSevenParisTimeIntoTheDigestsQueueWithMissedDaysRunOnce() throws Exception {
		ZonedDateTime now = ZonedDateTime.now(PARIS);
		ZonedDateTime today = ZonedDateTime.of(now.toLocalDate(), LocalTime.of(7, 0), PARIS);
		ZonedDateTime next = now.isBefore(today) ? today
				: ZonedDateTime.of(now.toLocalDate().plusDays(1), LocalTime.of(7, 0), PARIS);

		assertThat(this.schedules.states()).singleElement().satisfies((schedule) -> {
			assertThat(schedule.name()).isEqualTo("daily-digest");
			assertThat(schedule.queue()).isEqualTo("digests");
			assertThat(schedule.expression()).isEqualTo("0 0 7 * * *");
			assertThat(schedule.zone()).isEqualTo(PARIS);
			assertThat(schedule.missed()).isEqualTo(MissedTicks.RUN_ONCE);
			assertThat(schedule.nextTick()).isEqualTo(next.toInstant());
		});
		JsonNode digests = new HttpClientSupport(this.port).get("/actuator/jobqueues").json().at("/queues/digests");
		assertThat(digests.get("workers")).as("the digest handler's worker").hasSize(1);
	}

	@Test
	void everyTickEnqueuesADigestJobThatTheDigestHandlerCompletesOnItsFirstAttempt() throws Exception {
		try (SampleInstance instance = SampleInstance.start(SharedRedis.standalone(),
				"spring.application.name=sample-digest-ticks-" + UUID.randomUUID(),
				"redis.starter.queue.schedules.daily-digest.cron=",
				"redis.starter.queue.schedules.daily-digest.fixed-rate=1s")) {
			HttpClientSupport http = new HttpClientSupport(instance.port());

			await().atMost(Duration.ofSeconds(10)).until(() -> metric(http,
					"redis.starter.queue.schedule.ticks?tag=schedule:daily-digest&tag=outcome:enqueued") >= 2);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> metric(http, "redis.starter.queue.completed?tag=queue:digests") >= 2);

			// The schedule's job ids name their tick: schedule:<name>:<tick in epoch ms>, ticks at whole seconds.
			String jobPath = await().atMost(Duration.ofSeconds(5)).until(() -> recentTickJob(http), Objects::nonNull);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> http.get(jobPath).json().get("state").asString().equals("completed"));
			JsonNode job = http.get(jobPath).json();
			assertThat(job.get("attempts").asInt()).isEqualTo(1);
			assertThat(JSON.readTree(job.get("payload").asString()).get("edition").asString()).isEqualTo("daily");
			JsonNode digests = http.get("/actuator/jobqueues/digests").json();
			assertThat(digests.get("dead").asLong()).isZero();
		}
	}

	/** The Actuator path of the job of one of the last few ticks, or null when none has one. */
	private static String recentTickJob(HttpClientSupport http) throws Exception {
		long second = System.currentTimeMillis() / 1000;
		for (long tick = second; tick > second - 5; tick--) {
			String path = "/actuator/jobqueues/digests/schedule:daily-digest:" + (tick * 1000);
			if (http.get(path).status() == 200) {
				return path;
			}
		}
		return null;
	}

	private static double metric(HttpClientSupport http, String path) throws Exception {
		HttpClientSupport.Response metric = http.get("/actuator/metrics/" + path);
		if (metric.status() == 404) {
			return 0;
		}
		return metric.json().get("measurements").get(0).get("value").asDouble();
	}

}
