package dev.redisstarter.session;

import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;

/**
 * How the Spring Session bridge writes attribute values into a session's hash. The {@link #standard standard}
 * codec keeps every value JSON, so sessions stay readable with {@code redis-cli} and through
 * {@link SessionService}:
 * <ul>
 * <li>a {@link String} or a {@link Boolean} is written as itself ({@code "text"}, {@code true});</li>
 * <li>any other {@link Serializable} value is written as {@code {"@java-serialized": "<base64>"}}: Java
 * serialization, because Spring Session gives {@code getAttribute} no type to read back to, and Spring Security's
 * {@code SecurityContextImpl} (with its {@code Authentication}, principal and authorities) only round-trips through
 * it without a Jackson module that stores class names;</li>
 * <li>a value that is neither is refused with {@link IllegalArgumentException} naming the attribute.</li>
 * </ul>
 * Values written by {@link SessionService} (plain JSON) read back as what Jackson makes of them (maps, lists,
 * numbers). A value that cannot be read back (its class changed or is gone, or the allow-list refuses it) reads as
 * absent and is reported to the {@link DecodeFailureReporter}, never thrown.
 * <p>
 * Java deserialization of whatever is in Redis would let anyone who can write to Redis run a gadget chain, so the
 * standard codec reads every serialized value through an {@link ObjectInputFilter}: only classes matching
 * {@link #DEFAULT_SERIALIZABLE_CLASSES} or the application's patterns (and arrays of them, and primitives) are
 * instantiated, within limits on depth, references, array length and bytes; anything else is refused before it is
 * built (its {@code readObject} never runs). To store no class names at all, declare a codec of your own (a bean
 * of this type replaces the standard one).
 */
public interface SessionAttributeCodec {

	/**
	 * The classes the standard codec deserializes without being told, in
	 * {@link ObjectInputFilter.Config#createFilter} syntax: the JDK's value and collection types and Spring
	 * Security's (its {@code SecurityContextImpl}, tokens, {@code User}, authorities, {@code WebAuthenticationDetails}).
	 */
	List<String> DEFAULT_SERIALIZABLE_CLASSES = List.of("java.lang.*", "java.util.*", "java.time.*", "java.math.*",
			"org.springframework.security.**");

	/**
	 * Writes a value.
	 * @param name the attribute's name, for the message when the value cannot be written
	 * @param value the value, not {@code null}
	 * @return its encoding: not empty, and JSON if {@link SessionService} is to read the session too
	 */
	byte[] encode(String name, Object value);

	/**
	 * Reads a value back.
	 * @param key the session's key, for a failure report
	 * @param encoded what {@link #encode} wrote (or {@link SessionService} did)
	 * @return the value, or empty when it cannot be read back
	 */
	Optional<Object> decode(String key, byte[] encoded);

	/**
	 * The standard codec: strings and booleans as JSON, other serializable values as Java serialization in JSON,
	 * deserializing only {@link #DEFAULT_SERIALIZABLE_CLASSES}.
	 * @param json the starter's JSON codec
	 * @param failures where values that cannot be read back are reported
	 * @param classLoader the class loader for Java-serialized values, or {@code null} for the default
	 * @return the codec
	 */
	static SessionAttributeCodec standard(JsonCodec json, DecodeFailureReporter failures,
			@Nullable ClassLoader classLoader) {
		return standard(json, failures, classLoader, List.of());
	}

	/**
	 * The standard codec, deserializing the application's classes too.
	 * @param json the starter's JSON codec
	 * @param failures where values that cannot be read back are reported
	 * @param classLoader the class loader for Java-serialized values, or {@code null} for the default
	 * @param serializableClasses patterns in {@link ObjectInputFilter.Config#createFilter} syntax, one per entry
	 * ({@code com.example.Cart}, {@code com.example.web.*}, {@code com.example.**}, {@code !com.example.Unsafe},
	 * {@code maxdepth=64}), checked before the defaults
	 * @return the codec
	 * @throws IllegalArgumentException naming a pattern that is not valid
	 */
	static SessionAttributeCodec standard(JsonCodec json, DecodeFailureReporter failures,
			@Nullable ClassLoader classLoader, List<String> serializableClasses) {
		return new JsonOrJavaAttributeCodec(json, failures, classLoader, serializableClasses);
	}

}
