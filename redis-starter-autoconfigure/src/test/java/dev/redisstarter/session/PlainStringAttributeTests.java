package dev.redisstarter.session;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser-free read of plain string attributes gives exactly what Jackson reads, and leaves everything else
 * (escapes, non-ASCII, control characters, other JSON types, broken JSON) to the codec.
 */
class PlainStringAttributeTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@ParameterizedTest
	@ValueSource(strings = { "\"dark\"", "\"\"", "\"en-GB\"", "\"3 items\"", "\"{not: json}\"", "\" spaced \"",
			"\"~!@#$%^&*()_+`-=[]{}|;':,./<>?\"" })
	void readsPlainAsciiStringsAsJacksonDoes(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		JsonNode quick = PlainStringAttribute.read(bytes);
		assertThat(quick).isNotNull().isEqualTo(MAPPER.readTree(bytes));
		assertThat(quick.isString()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"tab\\there\"", "\"quote\\\"inside\"", "\"caf\u00e9\"", "\"\u2603\"", "42", "true", "null",
			"{\"a\":1}", "[\"a\"]", "\"", "", "\"unterminated", "unquoted\"", "\"a\"b\"", "\"line\nbreak\"" })
	void leavesEverythingElseToTheCodec(String json) {
		assertThat(PlainStringAttribute.read(json.getBytes(StandardCharsets.UTF_8))).isNull();
	}

}
