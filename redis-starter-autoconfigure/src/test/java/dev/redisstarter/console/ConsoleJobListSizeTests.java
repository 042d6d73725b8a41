package dev.redisstarter.console;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobOptions;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The console's job lists with a {@code list-size} above what {@link JobQueue#jobs} lists at once (1,000): the list
 * is cut to 1,000 rather than refused.
 */
@RealRedis
class ConsoleJobListSizeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static class Handlers {

		@JobHandler(queue = "${test.queue}")
		void send(String mail) {
		}

	}

	@Test
	void aListSizeAboveAThousandListsTheFirstThousandRatherThanFailing() {
		String queue = "console-list-" + UUID.randomUUID();
		ConsoleContexts.runner(SharedRedis.standalone())
			.withBean(Handlers.class)
			.withPropertyValues("test.queue=" + queue, "redis.starter.console.list-size=1500")
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				for (int i = 0; i < 1_001; i++) {
					jobs.enqueue(queue, "later " + i, JobOptions.defaults().withDelay(Duration.ofHours(1)));
				}
				MockMvc mvc = ConsoleContexts.mvc(context);
				MvcResult result = mvc
					.perform(get("/redis-starter/api/queues/" + queue + "/jobs?state=delayed")
						.with(ConsoleContexts.withRole()))
					.andReturn();
				assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString())
					.isEqualTo(200);
				JsonNode list = JSON.readTree(result.getResponse().getContentAsString());
				assertThat(list.get("total").asLong()).isEqualTo(1_001);
				assertThat(list.get("jobs")).hasSize(1_000);
			});
	}

}
