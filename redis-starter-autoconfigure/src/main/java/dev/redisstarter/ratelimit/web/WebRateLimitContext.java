package dev.redisstarter.ratelimit.web;

import java.security.Principal;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitContext;
import dev.redisstarter.ratelimit.RateLimitResult;

/**
 * The web request around a {@code @RateLimited} call: the client address is the default key; key expressions
 * see {@code #clientAddress}, {@code #principalName} and {@code #headers['Name']}; every decision is written
 * into the response's rate-limit header fields. Outside a request it offers nothing.
 */
public final class WebRateLimitContext implements RateLimitContext {

	private final ClientAddressResolver addresses;

	private final RateLimitHeaders headers;

	/**
	 * A context.
	 * @param addresses finds the client behind trusted proxies
	 * @param headers writes the header fields
	 */
	public WebRateLimitContext(ClientAddressResolver addresses, RateLimitHeaders headers) {
		this.addresses = addresses;
		this.headers = headers;
	}

	@Override
	public @Nullable String defaultKey() {
		HttpServletRequest request = request();
		return (request != null) ? this.addresses.resolve(request) : null;
	}

	@Override
	public boolean decidedByRule(String key, RateLimit limit) {
		HttpServletRequest request = request();
		return request != null && RateLimitFilter.wasDecided(request, key, limit);
	}

	@Override
	public java.util.Set<String> variableNames() {
		return java.util.Set.of("clientAddress", "principalName", "headers");
	}

	@Override
	public Map<String, Object> variables() {
		HttpServletRequest request = request();
		if (request == null) {
			return Map.of();
		}
		Principal principal = request.getUserPrincipal();
		Map<String, Object> variables = new java.util.HashMap<>(4);
		variables.put("clientAddress", this.addresses.resolve(request));
		variables.put("principalName", (principal != null) ? principal.getName() : null);
		variables.put("headers", new RequestHeaders(request));
		return variables;
	}

	@Override
	public void decided(RateLimitResult result) {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet) {
			HttpServletResponse response = servlet.getResponse();
			if (response != null && !response.isCommitted()) {
				this.headers.write(result, response::setHeader);
			}
		}
	}

	private static @Nullable HttpServletRequest request() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest() : null;
	}

	/** The request's header fields as a map for SpEL's {@code #headers['Name']}; read on demand. */
	private static final class RequestHeaders extends AbstractMap<String, String> {

		private final HttpServletRequest request;

		RequestHeaders(HttpServletRequest request) {
			this.request = request;
		}

		@Override
		public @Nullable String get(Object name) {
			return (name instanceof String header) ? this.request.getHeader(header) : null;
		}

		@Override
		public boolean containsKey(Object name) {
			return get(name) != null;
		}

		@Override
		public Set<Entry<String, String>> entrySet() {
			throw new UnsupportedOperationException("Read header fields by name: #headers['X-Api-Key']");
		}

	}

}
