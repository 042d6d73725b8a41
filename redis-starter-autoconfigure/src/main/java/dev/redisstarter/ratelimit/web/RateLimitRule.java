package dev.redisstarter.ratelimit.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A rate limit applied to requests by path and method, configured without code.
 *
 * @param patterns path patterns such as {@code /api/**} (Spring's {@link PathPattern} syntax)
 * @param methods HTTP methods in upper case; empty for all
 * @param policy the policy name
 * @param key how to key the limit: {@code client-address}, {@code principal} (the authenticated user, else
 * the client address) or {@code header:<Name>} (else the client address)
 */
public record RateLimitRule(List<PathPattern> patterns, Set<String> methods, String policy, String key) {

	/**
	 * Builds a rule from its written form.
	 * @param paths path patterns
	 * @param methods HTTP methods; empty for all
	 * @param policy the policy name
	 * @param key the key source
	 * @return the rule
	 * @throws IllegalArgumentException naming what is wrong
	 */
	public static RateLimitRule of(List<String> paths, List<String> methods, String policy, String key) {
		if (paths.isEmpty()) {
			throw new IllegalArgumentException("a rule needs at least one path pattern");
		}
		if (policy == null || policy.isBlank()) {
			throw new IllegalArgumentException("a rule needs a policy");
		}
		if (!key.equals("client-address") && !key.equals("principal") && !(key.startsWith("header:") && key.length() > 7)) {
			throw new IllegalArgumentException("key must be client-address, principal or header:<Name>, was '" + key + "'");
		}
		List<PathPattern> patterns = paths.stream().map(PathPatternParser.defaultInstance::parse).toList();
		Set<String> upper = methods.stream().map((method) -> method.strip().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
		return new RateLimitRule(patterns, upper, policy, key);
	}

	boolean matches(HttpServletRequest request, PathContainer path) {
		if (!this.methods.isEmpty() && !this.methods.contains(request.getMethod())) {
			return false;
		}
		for (PathPattern pattern : this.patterns) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	String keyFor(HttpServletRequest request, ClientAddressResolver addresses) {
		if (this.key.equals("principal") && request.getUserPrincipal() != null) {
			return "principal:" + request.getUserPrincipal().getName();
		}
		if (this.key.startsWith("header:")) {
			String value = request.getHeader(this.key.substring(7));
			if (value != null && !value.isBlank()) {
				return "header:" + value;
			}
		}
		return addresses.resolve(request);
	}

}
