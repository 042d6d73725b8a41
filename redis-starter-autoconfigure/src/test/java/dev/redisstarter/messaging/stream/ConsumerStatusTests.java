package dev.redisstarter.messaging.stream;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.queue.WorkerStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The status enums are shown as the strings health and the Actuator endpoints showed before they were enums. */
class ConsumerStatusTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void consumerStatusesAreShownByTheirFormerLabels() {
		assertThat(Arrays.stream(ConsumerStatus.values()).map(this.json::writeValueAsString))
			.containsExactly("\"reading\"", "\"paused\"", "\"waiting for Redis\"", "\"stopped\"");
	}

	@Test
	void workerStatusesAreShownInLowerCase() {
		assertThat(Arrays.stream(WorkerStatus.values()).map(this.json::writeValueAsString))
			.containsExactly("\"running\"", "\"waiting\"", "\"paused\"", "\"stopped\"");
	}

}
