package dev.redisstarter.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Base64;
import java.util.List;
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
 * {@code {"@java-serialized": "<base64>"}}, read back only through an {@link ObjectInputFilter} allow-list.
 */
final class JsonOrJavaAttributeCodec implements SessionAttributeCodec {

	private static final String SERIALIZED = "@java-serialized";

	/**
	 * Bounds on what one value may make the JVM build, before the class patterns: a graph nested this deep, with
	 * this many references, arrays this long or streams this large is refused whatever its classes.
	 */
	private static final String LIMITS = "maxdepth=32;maxrefs=100000;maxarray=100000;maxbytes=16777216";

	private final JsonCodec json;

	private final DecodeFailureReporter failures;

	private final @Nullable ClassLoader classLoader;

	private final ObjectInputFilter filter;

	JsonOrJavaAttributeCodec(JsonCodec json, DecodeFailureReporter failures, @Nullable ClassLoader classLoader,
			List<String> serializableClasses) {
		this.json = Objects.requireNonNull(json, "json must not be null");
		this.failures = Objects.requireNonNull(failures, "failures must not be null");
		this.classLoader = classLoader;
		this.filter = filter(serializableClasses);
	}

	/**
	 * The filter every deserialization runs through: the limits, then the application's patterns (so that they
	 * can also refuse a default or raise a limit: the first class pattern that matches decides, the last limit
	 * counts), then the defaults, then everything else refused.
	 * @throws IllegalArgumentException naming a pattern that {@link ObjectInputFilter.Config#createFilter} refuses
	 */
	static ObjectInputFilter filter(List<String> serializableClasses) {
		StringBuilder spec = new StringBuilder(LIMITS);
		for (String pattern : serializableClasses) {
			validate(pattern);
			spec.append(';').append(pattern.trim());
		}
		DEFAULT_SERIALIZABLE_CLASSES.forEach((pattern) -> spec.append(';').append(pattern));
		return ObjectInputFilter.Config.createFilter(spec.append(";!*").toString());
	}

	/**
	 * Checks one pattern of {@link ObjectInputFilter.Config#createFilter}'s syntax.
	 * @throws IllegalArgumentException when it is blank, holds a {@code ;} (one pattern per entry) or is refused
	 */
	static void validate(@Nullable String pattern) {
		if (pattern == null || pattern.isBlank() || pattern.contains(";")) {
			throw new IllegalArgumentException("'" + pattern + "' is not one pattern (blank, or holds ';')");
		}
		try {
			ObjectInputFilter.Config.createFilter(pattern.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + pattern + "' is not a valid pattern: " + ex.getMessage(), ex);
		}
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
		if (refuses(value.getClass())) {
			// Refused now rather than written and then read back as absent on the next request.
			throw new IllegalArgumentException("Session attribute '" + name + "' holds a " + value.getClass().getName()
					+ ", which the session attribute allow-list refuses to read back; allow it with "
					+ "redis.starter.session.spring-session.serializable-classes");
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

	private boolean refuses(Class<?> type) {
		ObjectInputFilter.FilterInfo top = new ObjectInputFilter.FilterInfo() {

			@Override
			public Class<?> serialClass() {
				return type;
			}

			@Override
			public long arrayLength() {
				return -1;
			}

			@Override
			public long depth() {
				return 1;
			}

			@Override
			public long references() {
				return 0;
			}

			@Override
			public long streamBytes() {
				return 0;
			}

		};
		return this.filter.checkInput(top) == ObjectInputFilter.Status.REJECTED;
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
			// Set before the first read: a class the filter refuses is never instantiated (InvalidClassException).
			in.setObjectInputFilter(this.filter);
			return Optional.ofNullable(in.readObject());
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			// RuntimeException too: an allowed class failing on bytes it did not write reads as absent, not a 500.
			this.failures.report(key, this.json.javaType(Object.class), ex);
			return Optional.empty();
		}
	}

}
