package dev.redisstarter.session.web;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import dev.redisstarter.session.SessionNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;

/** A session id that names no live session answers 401, and the answer holds no id (a bearer token). */
class SessionExceptionHandlerTests {

	@Test
	void aMissingSessionAnswers401WithoutTheToken() {
		String token = "u1.secret-token-value";
		ResponseEntity<ProblemDetail> answer = new SessionExceptionHandler()
			.sessionNotFound(new SessionNotFoundException(token));
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(answer.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
		assertThat(answer.getBody().getDetail()).doesNotContain(token);
	}

}
