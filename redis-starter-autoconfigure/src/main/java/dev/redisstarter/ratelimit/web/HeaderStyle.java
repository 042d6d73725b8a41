package dev.redisstarter.ratelimit.web;

/** Which rate-limit header fields responses carry. */
public enum HeaderStyle {

	/**
	 * The IETF draft's structured fields (draft-ietf-httpapi-ratelimit-headers):
	 * {@code RateLimit-Policy: "api";q=10;w=10} and {@code RateLimit: "api";r=3;t=7}.
	 */
	IETF,

	/** The older {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset}. */
	LEGACY,

	/** Both of the above. */
	BOTH,

	/** None (only {@code Retry-After} on rejections). */
	NONE

}
