package dev.redisstarter.ratelimit.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.web.InputLimitExceptionHandler;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitPolicies;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimiter;

/**
 * Applies the {@link RateLimitRule}s of {@code redis.starter.ratelimit.http.rules} to every request, in
 * order: each matching rule is one decision; the first rejection answers 429 with the problem body and header
 * fields, and the request goes no further.
 */
public final class RateLimitFilter extends OncePerRequestFilter implements Ordered {

	/**
	 * Before Spring Security's filter chain (-100 by default), so that rules can limit brute force on Security's
	 * own login and HTTP Basic handling. A rule keyed by {@code principal} then sees no principal (and uses the
	 * client address): order it after Security ({@code redis.starter.ratelimit.http.filter-order: 0}) for those.
	 */
	public static final int ORDER = -110;

	private final int order;

	/** The request attribute holding the limits already decided for this request, with their keys. */
	static final String DECIDED = RateLimitFilter.class.getName() + ".decided";

	private final List<RateLimitRule> rules;

	private final RateLimiter limiter;

	private final RateLimitPolicies policies;

	private final ClientAddressResolver addresses;

	private final RateLimitHeaders headers;

	private final JsonCodec json;

	/**
	 * A filter.
	 * @param rules the rules, checked in order
	 * @param limiter the limiter
	 * @param policies the policies the rules name (checked here, at start-up)
	 * @param addresses finds the client behind trusted proxies
	 * @param headers writes the header fields
	 * @param json writes the problem body
	 */
	public RateLimitFilter(List<RateLimitRule> rules, RateLimiter limiter, RateLimitPolicies policies,
			ClientAddressResolver addresses, RateLimitHeaders headers, JsonCodec json) {
		this(rules, limiter, policies, addresses, headers, json, ORDER);
	}

	/**
	 * A filter at a given order.
	 * @param rules the rules, checked in order
	 * @param limiter the limiter
	 * @param policies the policies the rules name (checked here, at start-up)
	 * @param addresses finds the client behind trusted proxies
	 * @param headers writes the header fields
	 * @param json writes the problem body
	 * @param order where it runs among the servlet filters
	 */
	public RateLimitFilter(List<RateLimitRule> rules, RateLimiter limiter, RateLimitPolicies policies,
			ClientAddressResolver addresses, RateLimitHeaders headers, JsonCodec json, int order) {
		this.order = order;
		this.rules = List.copyOf(rules);
		this.limiter = limiter;
		this.policies = policies;
		this.addresses = addresses;
		this.headers = headers;
		this.json = json;
		this.rules.forEach((rule) -> policies.get(rule.policy()));
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		PathContainer container = PathContainer.parsePath(path);
		for (RateLimitRule rule : this.rules) {
			if (!rule.matches(request, container)) {
				continue;
			}
			String key = rule.keyFor(request, this.addresses);
			List<RateLimit> limits = new java.util.ArrayList<>();
			for (RateLimit limit : this.policies.get(rule.policy())) {
				if (markDecided(request, key, limit)) {
					limits.add(limit);
				}
			}
			if (limits.isEmpty()) {
				continue;
			}
			RateLimitResult result;
			try {
				result = this.limiter.tryAcquire(key, limits, 1);
			}
			catch (InputLimitExceededException ex) {
				// A header value longer than redis.starter.max-key-part-length: refused, never let through unlimited.
				write(InputLimitExceptionHandler.problemOf(ex, request.getRequestURI()), request, response);
				return;
			}
			this.headers.write(result, response::setHeader);
			if (!result.allowed()) {
				reject(new RateLimitExceededException(key, result), request, response);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/**
	 * Marks a limit as decided for a key in this request; returns false when it already was, so that one request
	 * consumes once per limit and key, whether a rule or {@code @RateLimited} (or both) attached it.
	 * @param request the request
	 * @param key the limited key
	 * @param limit the limit
	 * @return true the first time
	 */
	static boolean markDecided(HttpServletRequest request, String key, RateLimit limit) {
		@SuppressWarnings("unchecked")
		java.util.Set<String> decided = (java.util.Set<String>) request.getAttribute(DECIDED);
		if (decided == null) {
			decided = new java.util.HashSet<>();
			request.setAttribute(DECIDED, decided);
		}
		return decided.add(limit.name() + '\u0000' + key);
	}

	/**
	 * Whether a rule of this filter consumed a limit for a key in this request.
	 * @param request the request
	 * @param key the limited key
	 * @param limit the limit
	 * @return true when it did
	 */
	static boolean wasDecided(HttpServletRequest request, String key, RateLimit limit) {
		Object decided = request.getAttribute(DECIDED);
		return decided instanceof java.util.Set<?> set && set.contains(limit.name() + '\u0000' + key);
	}

	private void reject(RateLimitExceededException ex, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		write(RateLimitProblems.of(ex, request.getRequestURI()), request, response);
	}

	private void write(ProblemDetail problem, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("type", (problem.getType() != null) ? problem.getType().toString() : "about:blank");
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance", String.valueOf(problem.getInstance()));
		if (problem.getProperties() != null) {
			// The rate-limit policy, or the bound, its property and the size.
			problem.getProperties().forEach(body::putIfAbsent);
		}
		response.getOutputStream().write(this.json.encode(body));
	}

}
