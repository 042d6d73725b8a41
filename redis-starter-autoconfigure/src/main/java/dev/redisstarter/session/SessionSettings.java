package dev.redisstarter.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How sessions live.
 *
 * @param ttl idle time to live: a session unused this long ends (each read slides it, see touchOnRead)
 * @param maxLifetime absolute lifetime: a session ends this long after creation, however busy
 * @param touchOnRead whether {@link SessionService#get} slides the idle expiry
 * @param maxPerUser the most live sessions one user may have; 0 for no limit
 * @param limitPolicy what a login beyond {@code maxPerUser} does
 * @param maxSize the most bytes a session's attributes may take (names and JSON values), so that callers cannot
 * fill Redis
 * @param maxUserIdLength the most characters of a user id (it is part of a key)
 */
public record SessionSettings(Duration ttl, Duration maxLifetime, boolean touchOnRead, int maxPerUser,
		LimitPolicy limitPolicy, long maxSize, int maxUserIdLength) {

	/** The default {@code maxSize}: 64 KB, far above what sessions usually hold (a few hundred bytes). */
	public static final long DEFAULT_MAX_SIZE = 64 * 1024;

	/** The default {@code maxUserIdLength}. */
	public static final int DEFAULT_MAX_USER_ID_LENGTH = 256;

	/** 30 minutes idle, 12 hours at most, touched on read, no per-user limit, 64 KB, user ids up to 256 characters. */
	public static final SessionSettings DEFAULTS = new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(12), true,
			0, LimitPolicy.EVICT_OLDEST);

	/**
	 * Settings with the default bounds ({@link #DEFAULT_MAX_SIZE}, {@link #DEFAULT_MAX_USER_ID_LENGTH}).
	 * @param ttl idle time to live
	 * @param maxLifetime absolute lifetime
	 * @param touchOnRead whether reads slide the expiry
	 * @param maxPerUser per-user limit, 0 for none
	 * @param limitPolicy evict the oldest or refuse
	 */
	public SessionSettings(Duration ttl, Duration maxLifetime, boolean touchOnRead, int maxPerUser,
			LimitPolicy limitPolicy) {
		this(ttl, maxLifetime, touchOnRead, maxPerUser, limitPolicy, DEFAULT_MAX_SIZE, DEFAULT_MAX_USER_ID_LENGTH);
	}

	/**
	 * Checks the settings.
	 * @param ttl idle time to live
	 * @param maxLifetime absolute lifetime
	 * @param touchOnRead whether reads slide the expiry
	 * @param maxPerUser per-user limit, 0 for none
	 * @param limitPolicy evict the oldest or refuse
	 * @param maxSize the most bytes of attributes, positive
	 * @param maxUserIdLength the most characters of a user id, positive
	 */
	public SessionSettings {
		Objects.requireNonNull(ttl, "ttl must not be null");
		Objects.requireNonNull(maxLifetime, "maxLifetime must not be null");
		Objects.requireNonNull(limitPolicy, "limitPolicy must not be null");
		if (ttl.toMillis() < 1 || maxLifetime.toMillis() < 1) {
			throw new IllegalArgumentException("ttl and maxLifetime must be at least 1 ms, were " + ttl + " and " + maxLifetime);
		}
		if (maxPerUser < 0) {
			throw new IllegalArgumentException("maxPerUser must not be negative, was " + maxPerUser);
		}
		if (maxSize < 1 || maxUserIdLength < 1) {
			throw new IllegalArgumentException(
					"maxSize and maxUserIdLength must be positive, were " + maxSize + " and " + maxUserIdLength);
		}
	}

	/**
	 * These settings with other expiry times.
	 * @param ttl idle time to live
	 * @param maxLifetime absolute lifetime
	 * @return new settings
	 */
	public SessionSettings withExpiry(Duration ttl, Duration maxLifetime) {
		return new SessionSettings(ttl, maxLifetime, this.touchOnRead, this.maxPerUser, this.limitPolicy, this.maxSize,
				this.maxUserIdLength);
	}

	/**
	 * These settings with reads that do or do not slide the expiry.
	 * @param touchOnRead whether reads slide the expiry
	 * @return new settings
	 */
	public SessionSettings withTouchOnRead(boolean touchOnRead) {
		return new SessionSettings(this.ttl, this.maxLifetime, touchOnRead, this.maxPerUser, this.limitPolicy, this.maxSize,
				this.maxUserIdLength);
	}

	/**
	 * These settings with a per-user limit.
	 * @param maxPerUser the most live sessions per user
	 * @param limitPolicy evict the oldest or refuse
	 * @return new settings
	 */
	public SessionSettings withLimit(int maxPerUser, LimitPolicy limitPolicy) {
		return new SessionSettings(this.ttl, this.maxLifetime, this.touchOnRead, maxPerUser, limitPolicy, this.maxSize,
				this.maxUserIdLength);
	}

	/**
	 * These settings with other bounds on what callers may store.
	 * @param maxSize the most bytes of a session's attributes
	 * @param maxUserIdLength the most characters of a user id
	 * @return new settings
	 */
	public SessionSettings withBounds(long maxSize, int maxUserIdLength) {
		return new SessionSettings(this.ttl, this.maxLifetime, this.touchOnRead, this.maxPerUser, this.limitPolicy, maxSize,
				maxUserIdLength);
	}

	/** What a login beyond the per-user limit does. */
	public enum LimitPolicy {

		/** End the user's oldest sessions to make room. */
		EVICT_OLDEST,

		/** Refuse the new session with {@link SessionLimitExceededException}. */
		REFUSE

	}

}
