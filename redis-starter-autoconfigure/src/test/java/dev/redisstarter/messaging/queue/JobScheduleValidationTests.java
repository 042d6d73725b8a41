package dev.redisstarter.messaging.queue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Wrong schedules stop start-up with a message naming the property or the method. */
@RealRedis
class JobScheduleValidationTests {

	private static final String SCHEDULE = "redis.starter.queue.schedules.digest.";

	static class Handler {

		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class BadCron {

		@JobSchedule(name = "digest", cron = "0 0 7 * *")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class BadZone {

		@JobSchedule(name = "digest", cron = "0 0 7 * * *", zone = "Europe/Pariss")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class CronAndRate {

		@JobSchedule(name = "digest", cron = "0 0 7 * * *", fixedRate = "1h")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class NeitherCronNorRate {

		@JobSchedule(name = "digest")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class BadRate {

		@JobSchedule(name = "digest", fixedRate = "often")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class BadPayload {

		@JobSchedule(name = "digest", fixedRate = "1h", payload = "{kind: digest}")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class WithoutHandler {

		@JobSchedule(name = "digest", fixedRate = "1h")
		void send(Object payload) {
		}

	}

	static class Digests {

		@JobSchedule(name = "digest", fixedRate = "1h")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	static class MoreDigests {

		@JobSchedule(name = "digest", cron = "0 0 8 * * *")
		@JobHandler(queue = "more-digests")
		void send(Object payload) {
		}

	}

	static class Disabled {

		@JobSchedule(name = "digest", cron = "${digest.cron:-}")
		@JobHandler(queue = "digests")
		void send(Object payload) {
		}

	}

	/** The outermost message in the failure's causes that holds the problem. */
	private static String messageWith(Throwable failure, String problem) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains(problem)) {
				return cause.getMessage();
			}
		}
		throw new AssertionError("No cause of " + failure + " says '" + problem + "'", failure);
	}

	private static InvalidAnnotationException invalidAnnotation(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidAnnotationException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("Not an InvalidAnnotationException: " + failure, failure);
	}

	private static ApplicationContextRunner runner() {
		return QueueContexts.runner(SharedRedis.standalone());
	}

	@Test
	void wrongPropertiesStopStartUpNamingTheProperty() {
		Map<String, String[]> cases = Map.of("cron '0 0 7 * *' is not a Spring cron expression",
				new String[] { "cron=0 0 7 * *" }, "set exactly one of cron and fixed rate, both are set",
				new String[] { "cron=0 0 7 * * *", "fixed-rate=1h" }, "set exactly one of cron and fixed rate, neither is set",
				new String[0], "payload is not JSON", new String[] { "fixed-rate=1h", "payload={kind: digest}" },
				"no @JobHandler of this application takes queue 'nobody'",
				new String[] { "fixed-rate=1h", "queue=nobody" });
		cases.forEach((problem, properties) -> {
			ApplicationContextRunner runner = runner().withBean(Handler.class).withPropertyValues(SCHEDULE + "queue=digests");
			for (String property : properties) {
				runner = runner.withPropertyValues(SCHEDULE + property);
			}
			runner.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(messageWith(context.getStartupFailure(), problem))
					.contains("Invalid redis.starter.queue.schedules.digest");
			});
		});
		runner().withBean(Handler.class)
			.withPropertyValues(SCHEDULE + "queue=digests", SCHEDULE + "cron=0 0 7 * * *", SCHEDULE + "zone=Europe/Pariss")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("redis.starter.queue.schedules.digest.zone"));
	}

	@Test
	void wrongAnnotationsStopStartUpNamingTheMethod() {
		Map<Class<?>, String> cases = Map.of(BadCron.class, "cron '0 0 7 * *' is not a Spring cron expression",
				BadZone.class, "zone 'Europe/Pariss' is not a time zone id", CronAndRate.class,
				"set exactly one of cron and fixed rate, both are set", NeitherCronNorRate.class,
				"set exactly one of cron and fixed rate, neither is set", BadRate.class, "'often' is not a duration",
				BadPayload.class, "payload is not JSON", WithoutHandler.class, "it must be on a @JobHandler method");
		cases.forEach((type, problem) -> runner().withBean(type).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(invalidAnnotation(context.getStartupFailure()).getMessage())
				.contains("Invalid @JobSchedule on void " + type.getName() + ".send(java.lang.Object): ")
				.contains(problem);
		}));
	}

	@Test
	void aScheduleNameTakenTwiceStopsStartUp() {
		runner().withBean(Digests.class)
			.withBean(MoreDigests.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(invalidAnnotation(context.getStartupFailure()).getMessage())
					.contains("schedule name 'digest' is taken by void " + Digests.class.getName() + ".send");
			});
		runner().withBean(Digests.class)
			.withPropertyValues(SCHEDULE + "queue=digests", SCHEDULE + "cron=0 0 7 * * *")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(invalidAnnotation(context.getStartupFailure()).getMessage())
					.contains("Invalid @JobSchedule on void " + Digests.class.getName() + ".send")
					.contains("schedule name 'digest' is taken by redis.starter.queue.schedules.digest");
			});
	}

	@Test
	void aDashCronOrADisabledPropertyTurnsAScheduleOff() {
		runner().withBean(Disabled.class)
			.withPropertyValues("redis.starter.queue.schedules.off.queue=nobody",
					"redis.starter.queue.schedules.off.fixed-rate=1s", "redis.starter.queue.schedules.off.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(JobSchedules.class).states()).isEmpty();
			});
		runner().withBean(Disabled.class)
			.withPropertyValues("digest.cron=0 0 7 * * *")
			.run((context) -> assertThat(context.getBean(JobSchedules.class).states()).extracting(ScheduleState::name)
				.containsExactly("digest"));
	}

}
