package dev.redisstarter.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A value that does not parse is logged by its key's pattern, which stays short whatever the caller put in the key. */
@ExtendWith(OutputCaptureExtension.class)
class DecodeFailureReporterTests {

	@Test
	void aKeyPatternKeepsItsLeadingSegmentsAndDropsTheLastOne() {
		assertThat(DecodeFailureReporter.keyPattern("shop:session:{abc}:attrs")).isEqualTo("shop:session:{*}:*");
		assertThat(DecodeFailureReporter.keyPattern("shop:cache:products:42")).isEqualTo("shop:cache:products:*");
	}

	@Test
	void aCallersLongKeyWithSeparatorsMakesAShortLogLineAndAShortRememberedPattern(CapturedOutput output) {
		// A cache key from a request ("search:" + q) whose query has a ':' near its end: the pattern kept all of it.
		String query = "q".repeat(1_000_000);
		String key = "shop:cache:search:" + query + ":page1";
		assertThat(DecodeFailureReporter.keyPattern(key)).hasSizeLessThan(200).startsWith("shop:cache:search:");
		new DecodeFailureReporter(null).report(key, JsonMapper.builder().build().constructType(String.class),
				new IllegalStateException("bad"));
		assertThat(output).contains("did not parse").doesNotContain("q".repeat(200));
	}

}
