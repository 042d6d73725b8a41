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
 * The console's job lists: a {@code list-size} above what {@link JobQueue#jobs} lists at once (1,000) is cut to
 * 1,000 rather than refused; a payload cut for the preview is marked as cut and never ends in half a surrogate pair.
 */
@RealRedis
class ConsoleJobListTests {

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

	@Test
	void aPayloadCutNextToASurrogatePairIsMarkedCut() {
		String queue = "console-list-" + UUID.randomUUID();
		ConsoleContexts.runner(SharedRedis.standalone())
			.withBean(Handlers.class)
			.withPropertyValues("test.queue=" + queue, "redis.starter.console.payload-preview=41")
			.run((context) -> {
				// As JSON: a quote, then 100 pairs: the 42 characters the console reads end in half a pair.
				context.getBean(JobQueue.class)
					.enqueue(queue, FACES, JobOptions.defaults().withDelay(Duration.ofHours(1)));
				MvcResult result = ConsoleContexts.mvc(context)
					.perform(get("/redis-starter/api/queues/" + queue + "/jobs?state=delayed")
						.with(ConsoleContexts.withRole()))
					.andReturn();
				String payload = JSON.readTree(result.getResponse().getContentAsString())
					.get("jobs")
					.get(0)
					.get("payload")
					.asString();
				assertThat(payload).as("cut, so marked").endsWith("\u2026");
				assertThat(payload.length()).isLessThanOrEqualTo(42);
				assertWhole(payload);
			});
	}

	@Test
	void aPreviewNeverEndsInHalfASurrogatePair() {
		ConsoleSettings settings = new ConsoleSettings("/redis-starter/", false, "ROLE", false, 100, Duration.ofSeconds(1),
				10, 50, 40);
		String preview = settings.preview("\"" + FACES + "\"");
		assertThat(preview).endsWith("\u2026");
		assertWhole(preview);
	}

	private static final String FACES = "\uD83D\uDE00".repeat(100);

	private static void assertWhole(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c)) {
				assertThat(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
					.as("high surrogate at %d followed by its low one in %s", i, text)
					.isTrue();
				i++;
			}
			else {
				assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
			}
		}
	}

}
