package dev.redisstarter.sample.session;

import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.session.Session;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.session.web.CurrentSession;

/**
 * Sessions over HTTP: create, read, end one, end all of a user's, and {@code GET /api/me} for the session a
 * request carries in {@code Authorization: Bearer <id>}.
 */
@RestController
class SessionController {

	private final SessionService sessions;

	SessionController(SessionService sessions) {
		this.sessions = sessions;
	}

	@PostMapping("/api/sessions")
	ResponseEntity<Map<String, String>> create(@RequestBody CreateRequest request) {
		if (request.userId() == null || request.userId().isBlank()) {
			return ResponseEntity.badRequest().body(Map.of("detail", "'userId' is required"));
		}
		Session session = this.sessions.create(request.userId(), (request.data() != null) ? request.data() : Map.of());
		return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", session.id()));
	}

	@GetMapping("/api/sessions/{id}")
	ResponseEntity<SessionView> get(@PathVariable String id) {
		return ResponseEntity.of(this.sessions.get(id).map(SessionView::of));
	}

	@DeleteMapping("/api/sessions/{id}")
	ResponseEntity<Void> destroy(@PathVariable String id) {
		return this.sessions.destroy(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
	}

	@DeleteMapping("/api/users/{userId}/sessions")
	Map<String, Integer> destroyAll(@PathVariable String userId) {
		return Map.of("destroyed", this.sessions.destroyAllForUser(userId));
	}

	@GetMapping("/api/me")
	SessionView me(@CurrentSession Session session) {
		return SessionView.of(session);
	}

	/** The body of a login. */
	record CreateRequest(String userId, Map<String, Object> data) {
	}

	/** A session as JSON. */
	record SessionView(String id, String userId, Map<String, JsonNode> data, Instant createdAt, Instant expiresAt) {

		static SessionView of(Session session) {
			return new SessionView(session.id(), session.userId(), session.attributes(), session.createdAt(),
					session.expiresAt());
		}

	}

}
