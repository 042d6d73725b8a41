package dev.redisstarter.autoconfigure;

import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import dev.redisstarter.session.SessionSettings;

/**
 * Session settings, under {@code redis.starter.session}.
 */
public class SessionProperties {

	/**
	 * Whether sessions are enabled.
	 */
	private boolean enabled = true;

	/**
	 * How long each session call waits for Redis before SessionStoreUnavailableException; independent of spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(600);

	/**
	 * Idle time to live: a session unused this long ends.
	 */
	private Duration ttl = Duration.ofMinutes(30);

	/**
	 * Absolute lifetime: a session ends this long after creation, however busy.
	 */
	private Duration maxLifetime = Duration.ofHours(12);

	/**
	 * Whether reading a session slides its idle expiry.
	 */
	private boolean touchOnRead = true;

	/**
	 * The most live sessions one user may have; 0 for no limit.
	 */
	private int maxPerUser;

	/**
	 * What a login beyond max-per-user does: evict-oldest or refuse.
	 */
	private SessionSettings.LimitPolicy limitPolicy = SessionSettings.LimitPolicy.EVICT_OLDEST;

	/**
	 * The most a session's attributes may take (names and JSON values); larger data is refused with
	 * InputLimitExceededException (413 in Spring MVC) and nothing is written.
	 */
	private DataSize maxSize = DataSize.ofBytes(SessionSettings.DEFAULT_MAX_SIZE);

	/**
	 * The most characters of a session's user id (it is part of a key); longer ids are refused.
	 */
	private int maxUserIdLength = SessionSettings.DEFAULT_MAX_USER_ID_LENGTH;

	/**
	 * Spring MVC integration.
	 */
	private final Http http = new Http();

	/**
	 * Spring Session bridge.
	 */
	private final SpringSession springSession = new SpringSession();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}


	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = RedisStarterProperties.positive("redis.starter.session.timeout", timeout);
	}
	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = RedisStarterProperties.positive("redis.starter.session.ttl", ttl);
	}

	public Duration getMaxLifetime() {
		return this.maxLifetime;
	}

	public void setMaxLifetime(Duration maxLifetime) {
		this.maxLifetime = RedisStarterProperties.positive("redis.starter.session.max-lifetime", maxLifetime);
	}

	public boolean isTouchOnRead() {
		return this.touchOnRead;
	}

	public void setTouchOnRead(boolean touchOnRead) {
		this.touchOnRead = touchOnRead;
	}

	public int getMaxPerUser() {
		return this.maxPerUser;
	}

	public void setMaxPerUser(int maxPerUser) {
		if (maxPerUser < 0) {
			throw new InvalidPropertyException("redis.starter.session.max-per-user", maxPerUser, "0 (no limit) or more");
		}
		this.maxPerUser = maxPerUser;
	}

	public SessionSettings.LimitPolicy getLimitPolicy() {
		return this.limitPolicy;
	}

	public void setLimitPolicy(SessionSettings.LimitPolicy limitPolicy) {
		this.limitPolicy = limitPolicy;
	}

	public DataSize getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(DataSize maxSize) {
		if (maxSize == null || maxSize.toBytes() < 1) {
			throw new InvalidPropertyException("redis.starter.session.max-size", maxSize, "a positive size");
		}
		this.maxSize = maxSize;
	}

	public int getMaxUserIdLength() {
		return this.maxUserIdLength;
	}

	public void setMaxUserIdLength(int maxUserIdLength) {
		if (maxUserIdLength < 1) {
			throw new InvalidPropertyException("redis.starter.session.max-user-id-length", maxUserIdLength, "at least 1");
		}
		this.maxUserIdLength = maxUserIdLength;
	}

	public Http getHttp() {
		return this.http;
	}

	public SpringSession getSpringSession() {
		return this.springSession;
	}

	/**
	 * The Spring Session bridge: a FindByIndexNameSessionRepository on these sessions.
	 */
	public static class SpringSession {

		/**
		 * Whether the starter's sessions back Spring Session (a SessionRepository bean for @EnableSpringHttpSession
		 * and Spring Security's SpringSessionBackedSessionRegistry); needs spring-session-core. Off unless set, so an
		 * application that uses Spring Session's own Redis repository is never switched over.
		 */
		private boolean enabled;

		/**
		 * Classes that Java-serialized attributes (anything but strings and booleans) may be read back as, besides
		 * the JDK's java.lang, java.util, java.time and java.math packages and Spring Security's classes: patterns in
		 * java.io.ObjectInputFilter syntax, one per entry (com.example.Cart; a package name ending in .* for its
		 * classes or .** with subpackages; !com.example.Unsafe to refuse; maxdepth=64), checked before the defaults.
		 * Anything else reads as absent.
		 */
		private List<String> serializableClasses = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getSerializableClasses() {
			return this.serializableClasses;
		}

		public void setSerializableClasses(List<String> serializableClasses) {
			for (int i = 0; i < serializableClasses.size(); i++) {
				String pattern = serializableClasses.get(i);
				String property = "redis.starter.session.spring-session.serializable-classes[" + i + "]";
				String accepted = "one java.io.ObjectInputFilter pattern (com.example.Cart, com.example.*, "
						+ "com.example.**, !com.example.Unsafe, maxdepth=64)";
				if (pattern == null || pattern.isBlank() || pattern.contains(";")) {
					throw new InvalidPropertyException(property, pattern, accepted);
				}
				try {
					ObjectInputFilter.Config.createFilter(pattern.trim());
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidPropertyException(property, pattern, accepted);
				}
			}
			this.serializableClasses = new ArrayList<>(serializableClasses);
		}

	}

	/**
	 * Spring MVC integration.
	 */
	public static class Http {

		/**
		 * Whether @CurrentSession parameters and 401 answers are configured.
		 */
		private boolean enabled = true;

		/**
		 * Header that carries the session id ('Bearer ' prefix optional).
		 */
		private String header = "Authorization";

		/**
		 * Cookie that carries the session id instead of the header; unset to use the header.
		 */
		private @Nullable String cookieName;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getHeader() {
			return this.header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

		public @Nullable String getCookieName() {
			return this.cookieName;
		}

		public void setCookieName(@Nullable String cookieName) {
			this.cookieName = cookieName;
		}

	}

}
