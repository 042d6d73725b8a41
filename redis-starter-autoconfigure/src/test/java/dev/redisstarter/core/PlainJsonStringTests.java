package dev.redisstarter.core;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser-free read of plain JSON strings ({@link JsonCodec#readTree}) gives exactly what Jackson reads, and leaves everything else
 * (escapes, non-ASCII, control characters, other JSON types, broken JSON) to the codec.
 */
class PlainJsonStringTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final long LONGEST = PlainJsonString.longest(JsonCodec.withDefaults().readConstraints());

	@ParameterizedTest
	@ValueSource(strings = { "\"dark\"", "\"\"", "\"en-GB\"", "\"3 items\"", "\"{not: json}\"", "\" spaced \"",
			"\"~!@#$%^&*()_+`-=[]{}|;':,./<>?\"" })
	void readsPlainAsciiStringsAsJacksonDoes(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		JsonNode quick = PlainJsonString.read(bytes, LONGEST);
		assertThat(quick).isNotNull().isEqualTo(MAPPER.readTree(bytes));
		assertThat(quick.isString()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"tab\\there\"", "\"quote\\\"inside\"", "\"caf\u00e9\"", "\"\u2603\"", "42", "true", "null",
			"{\"a\":1}", "[\"a\"]", "\"", "", "\"unterminated", "unquoted\"", "\"a\"b\"", "\"line\nbreak\"",
			"\"abc\"garbage", "\"abc\" \"", "\"abc\"\"", " \"abc\"", "\"abc\" ", "\"\u007f\"", "\"a\u007fb\"" })
	void leavesEverythingElseToTheCodec(String json) {
		assertThat(PlainJsonString.read(json.getBytes(StandardCharsets.UTF_8), LONGEST)).isNull();
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
				JsonNode quick = PlainJsonString.read(json, LONGEST);
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

	/**
	 * A string longer than the mapper reads (its longest string, or its longest document) is left to the codec, which
	 * refuses it; one just within both is read here, as the codec reads it.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 8, 9, 10, 11, 12, 13, 14 })
	void leavesStringsPastTheMappersLimitsToTheCodec(int characters) {
		byte[] json = ("\"" + "a".repeat(characters) + "\"").getBytes(StandardCharsets.US_ASCII);
		for (StreamReadConstraints limits : new StreamReadConstraints[] {
				StreamReadConstraints.builder().maxStringLength(10).build(),
				StreamReadConstraints.builder().maxDocumentLength(12).build(),
				StreamReadConstraints.builder().maxStringLength(11).maxDocumentLength(12).build() }) {
			JsonCodec codec = new JsonCodec(JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits).build())
				.build(), new DecodeFailureReporter(null));
			JsonNode quick = PlainJsonString.read(json, PlainJsonString.longest(codec.readConstraints()));
			Optional<JsonNode> parsed = codec.decode("k", json, JsonNode.class);
			assertThat(codec.readTree("k", json)).as("the codec's tree read").isEqualTo(parsed);
			if (characters <= 10) {
				assertThat(quick).isNotNull();
				assertThat(parsed).contains(quick);
			}
			else {
				assertThat(parsed).isEmpty();
				assertThat(quick).isNull();
			}
		}
	}

	@Test
	void theDefaultLimitsAreJacksons() {
		assertThat(LONGEST).isEqualTo(StreamReadConstraints.DEFAULT_MAX_STRING_LEN + 2L);
	}

}
