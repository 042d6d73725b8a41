package dev.redisstarter.sample;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clean shutdown of the sample, with every capability in use, says nothing at WARN or ERROR: an operator reads
 * such a line as something to look into.
 */
@ExtendWith(OutputCaptureExtension.class)
class CleanShutdownTests {

	@Test
	void aCleanShutdownLogsNoWarningAndNoError(CapturedOutput output) throws Exception {
		SampleInstance instance = SampleInstance.start(SharedRedis.standalone(), "spring.application.name=clean-shutdown");
		HttpClientSupport http = new HttpClientSupport(instance.port());
		// Touch the capabilities, so that their connections, subscriptions and workers are all up.
		assertThat(http.get("/api/products/1").status()).isEqualTo(200);
		assertThat(http.post("/api/sessions", "{\"userId\":\"clean\"}").status()).isEqualTo(201);
		assertThat(http.get("/api/limited").status()).isEqualTo(200);
		http.post("/api/inventory/clean-sku/reserve", "");
		int before = output.getAll().length();
		instance.close();
		List<String> loud = output.getAll()
			.substring(before)
			.lines()
			.filter((line) -> line.contains(" WARN ") || line.contains(" ERROR "))
			.toList();
		assertThat(loud).as("WARN and ERROR lines logged while the sample shut down").isEmpty();
	}

}
