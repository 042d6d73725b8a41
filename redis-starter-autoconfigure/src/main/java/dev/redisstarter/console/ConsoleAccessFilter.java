package dev.redisstarter.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.MultiValueMap;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Who may use the console, and which requests may change state. Registered on the console's path, after Spring
 * Security's filters when they are there.
 * <ul>
 * <li><b>Access</b>, in the {@link Access} chosen at start-up: with Spring Security on the classpath
 * ({@link Access#ROLE}), only a request whose user has the role ({@link HttpServletRequest#isUserInRole}: with
 * Spring Security the authority {@code ROLE_<role>}; authenticating the user is the application's security
 * configuration's job); without it, everyone ({@link Access#OPEN}, only with
 * {@code redis.starter.console.allow-without-security=true}) or no one ({@link Access#CLOSED}, the default). Others
 * get 403.</li>
 * <li><b>Cross-site requests</b>: a request other than {@code GET}, {@code HEAD} or {@code OPTIONS} must carry
 * {@code X-Requested-With} (a header a cross-site form cannot send, and a cross-site script cannot send without a
 * CORS pre-flight the console never grants), and when the browser says where it comes from ({@code Origin},
 * {@code Sec-Fetch-Site}) it must be this site. Others get 403. Spring Security's own CSRF protection, when on,
 * applies as well (the page sends its token).</li>
 * <li>Every answer carries {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff},
 * {@code X-Frame-Options: DENY} and a Content Security Policy that allows only the console's own script and style
 * (no inline script).</li>
 * </ul>
 * The same checks and headers also apply inside the console's routes ({@link #routeFilter()}): the servlet filter
 * is mapped on the console's path within the context, and a DispatcherServlet under a servlet path
 * ({@code spring.mvc.servlet.path}) serves the routes under another one, which the filter would not see.
 */
public final class ConsoleAccessFilter extends OncePerRequestFilter {

	/** Who may see the console. */
	public enum Access {

		/** Users with the role (Spring Security is present). */
		ROLE,

		/** Everyone who reaches the port (no Spring Security, explicitly allowed). */
		OPEN,

		/** No one (no Spring Security, not allowed). */
		CLOSED;

		/**
		 * The access for an application.
		 * @param securityPresent whether Spring Security is on the classpath
		 * @param allowWithoutSecurity {@code redis.starter.console.allow-without-security}
		 * @return the access
		 */
		public static Access of(boolean securityPresent, boolean allowWithoutSecurity) {
			if (securityPresent) {
				return ROLE;
			}
			return allowWithoutSecurity ? OPEN : CLOSED;
		}

	}

	/** The header a state-changing request must carry. */
	public static final String REQUIRED_HEADER = "X-Requested-With";

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

	private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
			+ " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private final Access access;

	private final String role;

	/**
	 * The filter.
	 * @param access who may see the console
	 * @param role the role {@link Access#ROLE} requires
	 */
	public ConsoleAccessFilter(Access access, String role) {
		this.access = Objects.requireNonNull(access, "access must not be null");
		this.role = Objects.requireNonNull(role, "role must not be null");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		secure(response);
		String refused = refusal(request);
		if (refused != null) {
			response.setStatus(HttpServletResponse.SC_FORBIDDEN);
			response.setContentType("application/json");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter().write("{\"error\":\"" + refused.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * The same checks and headers as a filter of the console's routes, so that they hold whichever servlet mapping
	 * a request reached a route through.
	 * @return the route filter
	 */
	public HandlerFilterFunction<ServerResponse, ServerResponse> routeFilter() {
		return (request, next) -> {
			String refused = refusal(request.servletRequest());
			return new Secured((refused != null)
					? ServerResponse.status(HttpStatus.FORBIDDEN).body(Map.of("error", refused)) : next.handle(request));
		};
	}

	private static void secure(HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("Content-Security-Policy", POLICY);
	}

	/** A route's answer with the console's headers, set when it is written. */
	private record Secured(ServerResponse response) implements ServerResponse {

		@Override
		public HttpStatusCode statusCode() {
			return this.response.statusCode();
		}

		@Override
		public HttpHeaders headers() {
			return this.response.headers();
		}

		@Override
		public MultiValueMap<String, jakarta.servlet.http.Cookie> cookies() {
			return this.response.cookies();
		}

		@Override
		public @Nullable ModelAndView writeTo(HttpServletRequest request, HttpServletResponse response, Context context)
				throws ServletException, IOException {
			secure(response);
			return this.response.writeTo(request, response, context);
		}

	}

	private @Nullable String refusal(HttpServletRequest request) {
		switch (this.access) {
			case CLOSED -> {
				return "The console needs Spring Security and the role, or redis.starter.console.allow-without-security=true";
			}
			case ROLE -> {
				if (!request.isUserInRole(this.role)) {
					return "The console needs the role " + this.role;
				}
			}
			case OPEN -> {
			}
		}
		if (SAFE_METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
			return null;
		}
		String requestedWith = request.getHeader(REQUIRED_HEADER);
		if (requestedWith == null || requestedWith.isBlank()) {
			return "A state-changing request needs the header " + REQUIRED_HEADER;
		}
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null && !site.equals("same-origin") && !site.equals("none")) {
			return "Cross-site requests are refused";
		}
		String origin = request.getHeader("Origin");
		if (origin != null && !sameOrigin(origin, request)) {
			return "Cross-site requests are refused";
		}
		return null;
	}

	private static boolean sameOrigin(String origin, HttpServletRequest request) {
		String host = request.getHeader("Host");
		if (host == null || origin.equals("null")) {
			return false;
		}
		try {
			URI uri = URI.create(origin);
			String authority = uri.getAuthority();
			return authority != null && authority.equalsIgnoreCase(host);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
