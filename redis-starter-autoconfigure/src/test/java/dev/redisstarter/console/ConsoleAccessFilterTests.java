package dev.redisstarter.console;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who the console serves without Spring Security: no one unless {@code allow-without-security}; with Spring
 * Security, only the role, whatever {@code allow-without-security} says. Every answer carries the headers that
 * keep the page from being framed, sniffed, cached or running inline script.
 */
class ConsoleAccessFilterTests {

	@Test
	void withoutSpringSecurityTheConsoleIsClosedUnlessAllowed() throws Exception {
		assertThat(ConsoleAccessFilter.Access.of(false, false)).isEqualTo(ConsoleAccessFilter.Access.CLOSED);
		MockHttpServletResponse closed = send(ConsoleAccessFilter.Access.CLOSED, new MockHttpServletRequest("GET", "/redis-starter/"));
		assertThat(closed.getStatus()).isEqualTo(403);
		assertThat(closed.getContentAsString()).contains("allow-without-security");

		assertThat(ConsoleAccessFilter.Access.of(false, true)).isEqualTo(ConsoleAccessFilter.Access.OPEN);
		MockHttpServletResponse open = send(ConsoleAccessFilter.Access.OPEN, new MockHttpServletRequest("GET", "/redis-starter/"));
		assertThat(open.getStatus()).isEqualTo(200);
		assertThat(open.getHeader("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-inline");
		assertThat(open.getHeader("X-Frame-Options")).isEqualTo("DENY");
		assertThat(open.getHeader("Cache-Control")).isEqualTo("no-store");
	}

	@Test
	void withSpringSecurityTheRoleIsRequiredEvenWhenAllowedWithoutSecurity() throws Exception {
		assertThat(ConsoleAccessFilter.Access.of(true, true)).isEqualTo(ConsoleAccessFilter.Access.ROLE);
		assertThat(send(ConsoleAccessFilter.Access.ROLE, new MockHttpServletRequest("GET", "/redis-starter/")).getStatus())
			.isEqualTo(403);
		MockHttpServletRequest withRole = new MockHttpServletRequest("GET", "/redis-starter/");
		withRole.addUserRole("OPS");
		assertThat(send(ConsoleAccessFilter.Access.ROLE, withRole).getStatus()).isEqualTo(200);
	}

	@Test
	void aSameOriginWriteWithTheHeaderPassesAndAnOpaqueOriginIsRefused() throws Exception {
		MockHttpServletRequest same = new MockHttpServletRequest("POST", "/redis-starter/api/queues/q/jobs/1/retry");
		same.addHeader("X-Requested-With", "redis-starter-console");
		same.addHeader("Host", "ops.example:8080");
		same.addHeader("Origin", "https://ops.example:8080");
		assertThat(send(ConsoleAccessFilter.Access.OPEN, same).getStatus()).isEqualTo(200);

		MockHttpServletRequest opaque = new MockHttpServletRequest("POST", "/redis-starter/api/queues/q/jobs/1/retry");
		opaque.addHeader("X-Requested-With", "redis-starter-console");
		opaque.addHeader("Host", "ops.example:8080");
		opaque.addHeader("Origin", "null");
		assertThat(send(ConsoleAccessFilter.Access.OPEN, opaque).getStatus()).isEqualTo(403);
	}

	private static MockHttpServletResponse send(ConsoleAccessFilter.Access access, MockHttpServletRequest request)
			throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		new ConsoleAccessFilter(access, "OPS").doFilter(request, response, new MockFilterChain());
		return response;
	}

}
