package dev.redisstarter.core;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.type.TypeFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes values as plain JSON and reads them back as the type the caller names: a {@link Class}, a
 * {@link TypeReference}, or a {@link Type} such as a method's generic return type ({@code List<Product>}).
 * No class name is ever written, so values stay readable with {@code redis-cli} and shareable with services
 * in other languages.
 *
 * <p>A payload that does not parse as the requested type reads as absent and is reported to the
 * {@link DecodeFailureReporter}; callers never see a parse exception. A value that cannot be written (a
 * programming error in the caller's type) throws {@link ValueEncodingException}.
 */
public final class JsonCodec {

	private final JsonMapper mapper;

	private final DecodeFailureReporter failures;

	/** The longest plain string {@link #readTree} reads without a parser: what the mapper's limits allow. */
	private final long plainStringLongest;

	/**
	 * A codec on the given mapper.
	 * @param mapper the application's mapper, or one built for the starter
	 * @param failures where values that do not parse are reported
	 */
	public JsonCodec(JsonMapper mapper, DecodeFailureReporter failures) {
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
		this.failures = Objects.requireNonNull(failures, "failures must not be null");
		this.plainStringLongest = PlainJsonString.longest(readConstraints());
	}

	/**
	 * A codec on a default {@link JsonMapper} that reports failures to the log only.
	 * @return a new codec
	 */
	public static JsonCodec withDefaults() {
		return new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null));
	}

	/**
	 * Writes a value as UTF-8 JSON.
	 * @param value the value; {@code null} writes {@code null}
	 * @return the JSON bytes
	 */
	public byte[] encode(@Nullable Object value) {
		try {
			return this.mapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new ValueEncodingException(value, ex);
		}
	}

	/**
	 * Writes a value as a JSON string.
	 * @param value the value; {@code null} writes {@code null}
	 * @return the JSON text
	 */
	public String encodeToString(@Nullable Object value) {
		return new String(encode(value), StandardCharsets.UTF_8);
	}

	/**
	 * Reads a payload as a class.
	 * @param <T> the type read
	 * @param key the key the payload came from, named in the report when it does not parse
	 * @param payload the JSON bytes, or {@code null} for a missing key
	 * @param type the class to read
	 * @return the value, or empty when the payload is missing, JSON {@code null}, or does not parse
	 */
	public <T> Optional<T> decode(String key, byte @Nullable [] payload, Class<T> type) {
		return read(key, payload, this.mapper.constructType(type));
	}

	/**
	 * Reads a payload as a generic type given by a type reference.
	 * @param <T> the type read
	 * @param key the key the payload came from
	 * @param payload the JSON bytes, or {@code null} for a missing key
	 * @param type the type to read, such as {@code new TypeReference<List<Product>>() {}}
	 * @return the value, or empty when the payload is missing, JSON {@code null}, or does not parse
	 */
	public <T> Optional<T> decode(String key, byte @Nullable [] payload, TypeReference<T> type) {
		return read(key, payload, this.mapper.constructType(type));
	}

	/**
	 * Reads a payload as a reflected type, such as {@code Method.getGenericReturnType()}.
	 * @param <T> the type read; the caller vouches that it matches {@code type}
	 * @param key the key the payload came from
	 * @param payload the JSON bytes, or {@code null} for a missing key
	 * @param type the type to read
	 * @return the value, or empty when the payload is missing, JSON {@code null}, or does not parse
	 */
	public <T> Optional<T> decode(String key, byte @Nullable [] payload, Type type) {
		return read(key, payload, this.mapper.constructType(type));
	}

	/**
	 * Converts a value already read (such as a map from a JSON tree) to another type.
	 * @param <T> the type wanted
	 * @param value the value
	 * @param type the type wanted
	 * @return the converted value
	 * @throws IllegalArgumentException when the value does not fit the type
	 */
	public <T> T convert(@Nullable Object value, JavaType type) {
		try {
			return this.mapper.convertValue(value, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Cannot read the value as " + type.toCanonical() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether a value, written as JSON, parses again as a type (without reporting a failure).
	 * @param value the value
	 * @param type the type it would be read as
	 * @return false when the JSON does not parse as the type (an abstract element type, a missing creator, ...)
	 */
	public boolean readsBackAs(Object value, JavaType type) {
		try {
			this.mapper.readValue(this.mapper.writeValueAsBytes(value), type);
			return true;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/**
	 * Reads a payload as a JSON tree, plain ASCII strings without a parser (most session attributes: exactly what
	 * the mapper reads, within its limits).
	 * @param key the key the payload came from
	 * @param payload the JSON bytes, or {@code null} for a missing key
	 * @return the tree, or empty when the payload is missing, JSON {@code null}, or does not parse
	 */
	public Optional<JsonNode> readTree(String key, byte @Nullable [] payload) {
		if (payload != null) {
			JsonNode plain = PlainJsonString.read(payload, this.plainStringLongest);
			if (plain != null) {
				return Optional.of(plain);
			}
		}
		return decode(key, payload, JsonNode.class);
	}

	/** The limits the mapper reads within (longest string, longest document, ...): payloads past them do not parse. */
	StreamReadConstraints readConstraints() {
		return this.mapper.tokenStreamFactory().streamReadConstraints();
	}

	/**
	 * Resolves a reflected type once, for callers that decode the same type many times.
	 * @param type the type
	 * @return Jackson's view of it
	 */
	public JavaType javaType(Type type) {
		return this.mapper.constructType(type);
	}

	/**
	 * The mapper's type factory, for types built or parsed at run time.
	 * @return the type factory
	 */
	public TypeFactory typeFactory() {
		return this.mapper.getTypeFactory();
	}

	/**
	 * Reads a payload as a type resolved by {@link #javaType(Type)}.
	 * @param <T> the type read
	 * @param key the key the payload came from
	 * @param payload the JSON bytes, or {@code null} for a missing key
	 * @param type the resolved type
	 * @return the value, or empty when the payload is missing, JSON {@code null}, or does not parse
	 */
	@SuppressWarnings("unchecked")
	public <T> Optional<T> read(String key, byte @Nullable [] payload, JavaType type) {
		if (payload == null) {
			return Optional.empty();
		}
		try {
			return Optional.ofNullable((T) this.mapper.readValue(payload, type));
		}
		catch (JacksonException ex) {
			this.failures.report(key, type, ex);
			return Optional.empty();
		}
	}

	/**
	 * Reads part of a buffer (a value after a header, without copying it) as a resolved type.
	 * @param <T> the type read
	 * @param buffer the bytes
	 * @param offset where the JSON starts
	 * @param length how long it is
	 * @param type the resolved type
	 * @param key the key the bytes came from, asked for only to report a failure
	 * @return the value, or empty when JSON {@code null} or does not parse
	 */
	@SuppressWarnings("unchecked")
	public <T> Optional<T> read(byte[] buffer, int offset, int length, JavaType type, Supplier<String> key) {
		try {
			return Optional.ofNullable((T) this.mapper.readValue(buffer, offset, length, type));
		}
		catch (JacksonException ex) {
			this.failures.report(key.get(), type, ex);
			return Optional.empty();
		}
	}

}
