package dev.redisstarter.sample.account;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * For a local try only ({@code sample.console.open-to-everyone}): every request to the operations console is made by
 * a "local operator" with the console's role, for that request alone (never saved in a session), so the console
 * opens without signing in and keeps answering while Redis, which holds the sessions, is down. An application grants
 * the role to its operators' accounts instead.
 */
final class LocalConsoleAccess extends OncePerRequestFilter {

	private final String consolePath;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	LocalConsoleAccess(String consolePath) {
		this.consolePath = consolePath;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith(this.consolePath)) {
			var context = this.contexts.createEmptyContext();
			context.setAuthentication(new PreAuthenticatedAuthenticationToken("local-operator", "n/a",
					List.of(new SimpleGrantedAuthority("ROLE_REDIS_STARTER_CONSOLE"))));
			this.contexts.setContext(context);
		}
		chain.doFilter(request, response);
	}

}
