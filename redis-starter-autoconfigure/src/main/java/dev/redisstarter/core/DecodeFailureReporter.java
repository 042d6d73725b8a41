package dev.redisstarter.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * Reports stored values that do not parse: logged at WARN once per key pattern (the key with its last
 * segment and any hash tag replaced by {@code *}, so one bad deployment does not flood the log), and counted
 * in {@code redis.starter.codec.decode.failures} tagged with the simple name of the type that was expected.
 */
public final class DecodeFailureReporter {

	/** The meter counting values that did not parse. */
	public static final String METER_NAME = CoreMeter.DECODE_FAILURES.getName();

	/** Bounds the memory of patterns already logged; past it, further patterns log at DEBUG. */
	private static final int MAX_PATTERNS_REMEMBERED = 1024;

	/** The most characters of a key a pattern keeps. */
	private static final int MAX_PATTERN_LENGTH = 100;

	private static final Log logger = LogFactory.getLog(DecodeFailureReporter.class);

	private final @Nullable MeterRegistry registry;

	private final Set<String> loggedPatterns = ConcurrentHashMap.newKeySet();

	/**
	 * A reporter that counts into a registry.
	 * @param registry the registry, or {@code null} to log only
	 */
	public DecodeFailureReporter(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Reports one value that did not parse.
	 * @param key the key it was read from
	 * @param expected the type it was read as
	 * @param cause the parse error
	 */
	public void report(String key, JavaType expected, Exception cause) {
		if (this.registry != null) {
			CoreMeter.DECODE_FAILURES.counterBuilder()
				.tag(MeterTag.TYPE.asString(), expected.getRawClass().getSimpleName())
				.register(this.registry)
				.increment();
		}
		String pattern = keyPattern(key);
		boolean first = this.loggedPatterns.size() < MAX_PATTERNS_REMEMBERED && this.loggedPatterns.add(pattern);
		if (first) {
			logger.warn("A value under " + pattern + " did not parse as " + expected.toCanonical()
					+ " and was read as absent (further failures under this pattern are only counted): " + cause.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			// The pattern, not the key: keys carry session ids and other callers' data.
			logger.debug("Value under " + pattern + " did not parse as " + expected.toCanonical(), cause);
		}
	}

	static String keyPattern(String key) {
		String withoutTag = key.replaceFirst("\\{[^}]+}", "{*}");
		int lastSeparator = withoutTag.lastIndexOf(KeyNaming.SEPARATOR);
		// A caller's part of a key may hold separators too ("search:" + a query): past the prefix and the cache's
		// name it is cut, so that neither the log line nor the remembered patterns grow with what callers send.
		int end = Math.min(lastSeparator + 1, MAX_PATTERN_LENGTH);
		if (end > 0 && Character.isHighSurrogate(withoutTag.charAt(end - 1))) {
			end--;
		}
		return (lastSeparator >= 0) ? withoutTag.substring(0, end) + ((end <= lastSeparator) ? "…*" : "*") : "*";
	}

}
