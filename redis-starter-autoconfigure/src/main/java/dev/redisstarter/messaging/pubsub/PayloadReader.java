package dev.redisstarter.messaging.pubsub;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a payload as the starter writes it: text for {@code String}, the bytes for {@code byte[]}, JSON with
 * the application's mapper for anything else (generic types included).
 */
final class PayloadReader {

	private final JsonMapper mapper;

	PayloadReader(JsonMapper mapper) {
		this.mapper = mapper;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	@Nullable Object read(byte[] payload, Type type) {
		if (type == String.class) {
			return new String(payload, StandardCharsets.UTF_8);
		}
		if (type == byte[].class) {
			return payload;
		}
		JavaType javaType = this.mapper.getTypeFactory().constructType(type);
		return this.mapper.readValue(payload, javaType);
	}

}
