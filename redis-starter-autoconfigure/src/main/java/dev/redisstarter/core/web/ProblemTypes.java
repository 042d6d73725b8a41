package dev.redisstarter.core.web;

import java.net.URI;

/**
 * The {@code type} URIs of the starter's RFC 9457 problems: one per kind of problem, the same whichever capability
 * answers, so that a client can tell "Redis is unavailable, retry" from "this lock is busy" without reading the
 * detail. They are identifiers under the project's domain (the Java package's), compared as strings; the "HTTP answers"
 * table of docs/resilience.md documents each. The {@code title} of every problem is the status's reason phrase.
 */
public final class ProblemTypes {

	/** The prefix of every type URI. */
	public static final String PREFIX = "https://redisstarter.dev/problems/";

	/** 503: Redis could not be reached, or did not answer in time; retry after {@code Retry-After}. */
	public static final URI REDIS_UNAVAILABLE = URI.create(PREFIX + "redis-unavailable");

	/** 500: Redis refused the application's user a command, key or channel ({@code NOPERM}); an operator must act. */
	public static final URI PERMISSION_REFUSED = URI.create(PREFIX + "permission-refused");

	/** 413: a request carried more data than a configured bound allows. */
	public static final URI INPUT_TOO_LARGE = URI.create(PREFIX + "input-too-large");

	/** 409: a lock was held by another owner for the whole wait; retry after {@code Retry-After}. */
	public static final URI LOCK_BUSY = URI.create(PREFIX + "lock-busy");

	/** 429: a rate limit was reached; retry after {@code Retry-After}. */
	public static final URI RATE_LIMITED = URI.create(PREFIX + "rate-limited");

	/** 429: a request costs more permits than a rate limit ever grants, so retrying cannot help. */
	public static final URI RATE_LIMIT_EXCEEDED_BY_COST = URI.create(PREFIX + "rate-limit-exceeded-by-cost");

	/** 401: the request needs a live session and carries none. */
	public static final URI SESSION_REQUIRED = URI.create(PREFIX + "session-required");

	/** 409: the per-user session limit refused a new session. */
	public static final URI SESSION_LIMIT_REACHED = URI.create(PREFIX + "session-limit-reached");

	private ProblemTypes() {
	}

}
