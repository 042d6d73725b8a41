package dev.redisstarter.ratelimit.web;

import java.time.Duration;
import java.util.function.BiConsumer;

import dev.redisstarter.ratelimit.RateLimitResult;

/**
 * Writes a decision as response header fields. Times are whole seconds, rounded up so that a client
 * that waits them out is never early. A request let through because Redis is unavailable and the limit fails
 * open ({@link RateLimitResult.Decision#FAILED_OPEN}) gets no fields at all: the limiter does not know the
 * quota then, and must not claim a full one.
 *
 * @param style which fields to write
 */
public record RateLimitHeaders(HeaderStyle style) {

	/**
	 * Writes the fields of a decision; none for a decision that failed open.
	 * @param result the decision
	 * @param header sets one header field (name, value)
	 */
	public void write(RateLimitResult result, BiConsumer<String, String> header) {
		if (result.decision() == RateLimitResult.Decision.FAILED_OPEN) {
			return;
		}
		long reset = seconds(result.resetAfter());
		if (this.style == HeaderStyle.IETF || this.style == HeaderStyle.BOTH) {
			String name = "\"" + result.policy().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
			header.accept("RateLimit-Policy", name + ";q=" + result.limit() + ";w=" + Math.max(1, seconds(result.window())));
			header.accept("RateLimit", name + ";r=" + result.remaining() + ";t=" + reset);
		}
		if (this.style == HeaderStyle.LEGACY || this.style == HeaderStyle.BOTH) {
			header.accept("X-RateLimit-Limit", Long.toString(result.limit()));
			header.accept("X-RateLimit-Remaining", Long.toString(result.remaining()));
			header.accept("X-RateLimit-Reset", Long.toString(reset));
		}
		if (!result.allowed() && result.decision() != RateLimitResult.Decision.EXCEEDS_CAPACITY) {
			header.accept("Retry-After", Long.toString(Math.max(1, seconds(result.retryAfter()))));
		}
	}

	static long seconds(Duration duration) {
		long seconds = duration.getSeconds();
		return (duration.getNano() > 0) ? seconds + 1 : seconds;
	}

}
