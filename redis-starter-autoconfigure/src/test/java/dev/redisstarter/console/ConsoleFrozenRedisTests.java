package dev.redisstarter.console;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * While Redis is frozen (the process stopped: connections stay open, nothing answers), every view the page polls
 * answers within a bound set by the timeouts, never hanging on Redis, and the overview shows the circuit open.
 */
class ConsoleFrozenRedisTests {

	@Test
	void everyViewAnswersInTimeWhileRedisIsFrozen() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			ConsoleContexts.runner(server)
				.withPropertyValues("redis.starter.console.timeout=500ms", "redis.starter.console.sample-time-budget=100ms")
				.run((context) -> {
					MockMvc mvc = ConsoleContexts.mvc(context);
					context.getBean(JobQueue.class).enqueue("frozen-q", "x");
					for (String view : List.of("overview", "queues", "streams", "meters", "server")) {
						assertThat(status(mvc, view)).as(view + " before").isEqualTo(200);
					}
					server.freeze();
					try {
						for (int round = 0; round < 2; round++) {
							for (String view : List.of("overview", "queues", "queues/frozen-q/jobs?state=dead", "streams",
									"meters", "server")) {
								long start = System.nanoTime();
								int status = status(mvc, view);
								Duration took = Duration.ofNanos(System.nanoTime() - start);
								assertThat(took).as(view + " answered " + status).isLessThan(Duration.ofSeconds(3));
							}
						}
						assertThat(ConsoleApiTests.json(mvc, get("/redis-starter/api/overview").with(ConsoleContexts.withRole()), 200)
							.get("circuit").get("state").asString()).as("the circuit the page shows").isEqualTo("open");
					}
					finally {
						server.thaw();
					}
				});
		}
	}

	private static int status(MockMvc mvc, String view) throws Exception {
		MvcResult result = mvc.perform(get("/redis-starter/api/" + view).with(ConsoleContexts.withRole())).andReturn();
		return result.getResponse().getStatus();
	}

}
