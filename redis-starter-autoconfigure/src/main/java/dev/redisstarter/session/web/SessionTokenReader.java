package dev.redisstarter.session.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the session id a request carries: in a cookie when a cookie name is configured, else in a header
 * ({@code Authorization} by default, where a {@code Bearer } prefix is removed).
 *
 * @param header the header that carries the id
 * @param cookieName the cookie that carries the id, or {@code null} to read the header
 */
public record SessionTokenReader(String header, @Nullable String cookieName) {

	/**
	 * The session id of a request.
	 * @param request the request
	 * @return the id, or {@code null} when the request carries none
	 */
	public @Nullable String read(HttpServletRequest request) {
		if (this.cookieName != null && request.getCookies() != null) {
			for (Cookie cookie : request.getCookies()) {
				if (this.cookieName.equals(cookie.getName()) && !cookie.getValue().isBlank()) {
					return cookie.getValue().strip();
				}
			}
			return null;
		}
		String value = request.getHeader(this.header);
		if (value == null || value.isBlank()) {
			return null;
		}
		value = value.strip();
		if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
			value = value.substring(7).strip();
		}
		return value.isEmpty() ? null : value;
	}

}
