package dev.redisstarter.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ConfigurableObjectInputStream;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;

/**
 * The standard {@link SessionAttributeCodec}: strings and booleans as JSON, any other {@link Serializable} value as
 * {@code {"@java-serialized": "<base64>"}}.
 */
final class JsonOrJavaAttributeCodec implements SessionAttributeCodec {

	private static final String SERIALIZED = "@java-serialized";

	private final JsonCodec json;

	private final DecodeFailureReporter failures;

	private final @Nullable ClassLoader classLoader;

	JsonOrJavaAttributeCodec(JsonCodec json, DecodeFailureReporter failures, @Nullable ClassLoader classLoader) {
		this.json = Objects.requireNonNull(json, "json must not be null");
		this.failures = Objects.requireNonNull(failures, "failures must not be null");
		this.classLoader = classLoader;
	}

	@Override
	public byte[] encode(String name, Object value) {
		if (value instanceof String || value instanceof Boolean) {
			return this.json.encode(value);
		}
		if (!(value instanceof Serializable)) {
			throw new IllegalArgumentException("Session attribute '" + name + "' holds a " + value.getClass().getName()
					+ ", which is neither a String, a Boolean nor Serializable");
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Session attribute '" + name + "' could not be serialized", ex);
		}
		return this.json.encode(Map.of(SERIALIZED, Base64.getEncoder().encodeToString(bytes.toByteArray())));
	}

	@Override
	public Optional<Object> decode(String key, byte[] encoded) {
		Optional<JsonNode> parsed = this.json.decode(key, encoded, JsonNode.class);
		if (parsed.isEmpty()) {
			return Optional.empty();
		}
		JsonNode node = parsed.get();
		if (node.isString()) {
			return Optional.of(node.stringValue());
		}
		if (node.isBoolean()) {
			return Optional.of(node.booleanValue());
		}
		JsonNode serialized = node.isObject() && node.size() == 1 ? node.get(SERIALIZED) : null;
		if (serialized == null || !serialized.isString()) {
			return this.json.decode(key, encoded, Object.class);
		}
		try (ConfigurableObjectInputStream in = new ConfigurableObjectInputStream(
				new ByteArrayInputStream(Base64.getDecoder().decode(serialized.stringValue())), this.classLoader)) {
			return Optional.ofNullable(in.readObject());
		}
		catch (IOException | ClassNotFoundException | IllegalArgumentException | ClassCastException ex) {
			this.failures.report(key, this.json.javaType(Object.class), ex);
			return Optional.empty();
		}
	}

}
