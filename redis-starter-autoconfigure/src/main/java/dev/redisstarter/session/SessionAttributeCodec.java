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
 * How the Spring Session bridge writes attribute values into a session's hash. Every value is JSON, so sessions
 * stay readable with {@code redis-cli} and through {@link SessionService}:
 * <ul>
 * <li>a {@link String} or a {@link Boolean} is written as itself ({@code "text"}, {@code true});</li>
 * <li>any other {@link Serializable} value is written as {@code {"@java-serialized": "<base64>"}}: Java
 * serialization, because Spring Session gives {@code getAttribute} no type to read back to, and Spring Security's
 * {@code SecurityContextImpl} (with its {@code Authentication}, principal and authorities) only round-trips through
 * it without a Jackson module that stores class names;</li>
 * <li>a value that is neither is refused with {@link IllegalArgumentException} naming the attribute.</li>
 * </ul>
 * Values written by {@link SessionService} (plain JSON) read back as what Jackson makes of them (maps, lists,
 * numbers). A value that cannot be read back (its class changed or is gone) reads as absent and is reported to the
 * {@link DecodeFailureReporter}, never thrown. Java deserialization trusts what is in Redis, as Spring Session's own
 * default serializer does: keep Redis private to the application.
 */
public final class SessionAttributeCodec {

	private static final String SERIALIZED = "@java-serialized";

	private final JsonCodec json;

	private final DecodeFailureReporter failures;

	private final @Nullable ClassLoader classLoader;

	/**
	 * A codec.
	 * @param json the starter's JSON codec
	 * @param failures where values that cannot be read back are reported
	 * @param classLoader the class loader for Java-serialized values, or {@code null} for the default
	 */
	public SessionAttributeCodec(JsonCodec json, DecodeFailureReporter failures, @Nullable ClassLoader classLoader) {
		this.json = Objects.requireNonNull(json, "json must not be null");
		this.failures = Objects.requireNonNull(failures, "failures must not be null");
		this.classLoader = classLoader;
	}

	/**
	 * Writes a value.
	 * @param name the attribute's name, for the message when the value cannot be written
	 * @param value the value, not {@code null}
	 * @return its JSON
	 */
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

	/**
	 * Reads a value back.
	 * @param key the session's key, for the failure report
	 * @param encoded what {@link #encode} wrote (or {@link SessionService} did)
	 * @return the value, or empty when it cannot be read back
	 */
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
