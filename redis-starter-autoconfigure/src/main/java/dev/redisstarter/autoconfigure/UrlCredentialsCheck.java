package dev.redisstarter.autoconfigure;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * Spring Boot takes the credentials from {@code spring.data.redis.url} alone when a URL is set, and silently
 * ignores {@code spring.data.redis.username} and {@code spring.data.redis.password}: an application that sets
 * both connects without the password it was given, and every call is refused with {@code NOAUTH}. This says so
 * once at start-up, at WARN. Not a start-up failure: the combination works when the URL carries the same
 * credentials, or the server asks for none, and such applications must keep starting.
 */
final class UrlCredentialsCheck {

	private static final Log logger = LogFactory.getLog(UrlCredentialsCheck.class);

	private UrlCredentialsCheck() {
	}

	/**
	 * Logs a WARN when the URL and separate credentials are both set.
	 * @param environment the application's environment
	 * @return the warning, or {@code null} when there is none
	 */
	static @Nullable String warnIfIgnored(Environment environment) {
		String url = environment.getProperty("spring.data.redis.url");
		if (url == null || url.isBlank()) {
			return null;
		}
		boolean username = environment.containsProperty("spring.data.redis.username");
		boolean password = environment.containsProperty("spring.data.redis.password");
		if (!username && !password) {
			return null;
		}
		String ignored = (username && password) ? "spring.data.redis.username and spring.data.redis.password"
				: username ? "spring.data.redis.username" : "spring.data.redis.password";
		String warning = "spring.data.redis.url is set, so Spring Boot ignores " + ignored + ": the connection uses "
				+ urlCredentials(url) + ". Put the credentials in the URL (redis://user:password@host:port, with"
				+ " special characters percent-encoded), or remove spring.data.redis.url and set spring.data.redis.host"
				+ " and port instead";
		logger.warn(warning);
		return warning;
	}

	/** What the URL carries, without the password. */
	private static String urlCredentials(String url) {
		try {
			String userInfo = URI.create(url.strip()).getRawUserInfo();
			if (userInfo == null || userInfo.isEmpty()) {
				return "no credentials at all (the URL has none)";
			}
			int colon = userInfo.indexOf(':');
			if (colon < 0) {
				// Spring Boot reads user info without a colon as a password (redis://secret@host), never a user name.
				return "only the password from the URL (as the default user)";
			}
			String user = userInfo.substring(0, colon);
			return user.isEmpty() ? "only the password from the URL (as the default user)"
					: "the user '" + user + "' and the password from the URL";
		}
		catch (IllegalArgumentException ex) {
			return "whatever the URL carries";
		}
	}

}
