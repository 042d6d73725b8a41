package dev.redisstarter.session;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.core.JsonCodec;

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
			"{\"a\":1}", "[\"a\"]", "\"", "", "\"unterminated", "unquoted\"", "\"a\"b\"", "\"line\nbreak\"",
			"\"abc\"garbage", "\"abc\" \"", "\"abc\"\"", " \"abc\"", "\"abc\" ", "\"\u007f\"", "\"a\u007fb\"" })
	void leavesEverythingElseToTheCodec(String json) {
		assertThat(PlainStringAttribute.read(json.getBytes(StandardCharsets.UTF_8))).isNull();
	}

	/**
	 * Every byte string up to 6 bytes long over bytes that matter to a JSON string (quote, backslash, space, DEL, a
	 * control character, UTF-8 lead and continuation bytes, letters of escapes): whatever the quick read takes, the
	 * codec reads alike.
	 */
	@Test
	void whateverItReadsTheCodecReadsAlike() {
		JsonCodec codec = JsonCodec.withDefaults();
		byte[] alphabet = { '"', '\\', ' ', 'a', 'u', '0', '/', 0x7f, 0x1f, '\n', (byte) 0xc3, (byte) 0xa9 };
		int taken = 0;
		for (int length = 0; length <= 6; length++) {
			byte[] json = new byte[length];
			int[] digits = new int[length];
			while (true) {
				for (int i = 0; i < length; i++) {
					json[i] = alphabet[digits[i]];
				}
				JsonNode quick = PlainStringAttribute.read(json);
				if (quick != null) {
					taken++;
					Optional<JsonNode> parsed = codec.decode("k", json, JsonNode.class);
					assertThat(parsed).as("codec on %s", new String(json, StandardCharsets.ISO_8859_1)).contains(quick);
				}
				int i = length - 1;
				while (i >= 0 && ++digits[i] == alphabet.length) {
					digits[i--] = 0;
				}
				if (i < 0) {
					break;
				}
			}
		}
		assertThat(taken).as("plain strings of 0 to 4 characters over 5 printable bytes").isEqualTo(1 + 5 + 25 + 125 + 625);
	}

}
