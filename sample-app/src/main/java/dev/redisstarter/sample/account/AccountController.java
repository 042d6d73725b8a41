package dev.redisstarter.sample.account;

import java.security.Principal;
import java.util.Map;

import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.session.SessionRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /account}: who is signed in, the id of the HTTP session (kept in Redis by the starter's Spring Session
 * bridge), and how many sessions of the user are in force (at most one: a second sign-in expires the first, which
 * Spring Security's registry then reports as expired until its next request ends it).
 */
@RestController
class AccountController {

	private final SessionRegistry sessions;

	AccountController(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@GetMapping("/account")
	Map<String, Object> account(Principal principal, HttpSession session) {
		return Map.of("user", principal.getName(), "sessionId", session.getId(), "sessions",
				this.sessions.getAllSessions(principal, false).size());
	}

}
