package dev.redisstarter.ratelimit.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitPolicies;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimiter;

/**
 * Applies the {@link RateLimitRule}s of {@code redis.starter.rate-limit.http.rules} to every request, in
 * order: each matching rule is one decision; the first rejection answers 429 with the problem body and header
 * fields, and the request goes no further.
 */
public final class RateLimitFilter extends OncePerRequestFilter implements Ordered {

	/** After Spring Security's filters (-100), so that a principal is known; before the dispatcher. */
	public static final int ORDER = 0;

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
		return ORDER;
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
			RateLimitResult result = this.limiter.tryAcquire(key, this.policies.get(rule.policy()), 1);
			this.headers.write(result, response::setHeader);
			if (!result.allowed()) {
				reject(new RateLimitExceededException(key, result), request, response);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private void reject(RateLimitExceededException ex, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		var problem = RateLimitProblems.of(ex, request.getRequestURI());
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("type", (problem.getType() != null) ? problem.getType().toString() : "about:blank");
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance", String.valueOf(problem.getInstance()));
		body.put("policy", ex.getResult().policy());
		response.getOutputStream().write(this.json.encode(body));
	}

}
