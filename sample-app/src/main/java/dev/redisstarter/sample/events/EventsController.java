package dev.redisstarter.sample.events;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.messaging.pubsub.MessageBus;

import dev.redisstarter.sample.BadRequests;

/**
 * Events over HTTP: {@code POST /api/events} publishes on Redis pub/sub (202, with how many subscribers, that
 * is instances, received it); {@code GET /api/events} is a Server-Sent Events stream on which every instance
 * relays each published event as {@code data:{"text":...}}. Pub/sub is at-most-once: an instance that is
 * reconnecting to Redis misses what is published meanwhile. A publish while Redis is unreachable answers 503
 * (the starter's fallback).
 */
@RestController
@RequestMapping("/api/events")
class EventsController {

	private static final int MAX_TEXT_LENGTH = 1000;

	private static final Duration RETRY_WHEN_FULL = Duration.ofSeconds(5);

	private final MessageBus bus;

	private final EventRelay relay;

	EventsController(MessageBus bus, EventRelay relay) {
		this.bus = bus;
		this.relay = relay;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	Published publish(@RequestBody Event event) {
		if (event.text() == null || event.text().isBlank() || event.text().length() > MAX_TEXT_LENGTH) {
			throw new IllegalArgumentException("'text' is required, at most " + MAX_TEXT_LENGTH + " characters");
		}
		return new Published(this.bus.publish(EventRelay.CHANNEL, event));
	}

	@GetMapping
	SseEmitter stream() {
		return this.relay.connect().orElseThrow(TooManyClientsException::new);
	}

	@ExceptionHandler(TooManyClientsException.class)
	ResponseEntity<ProblemDetail> tooManyClients() {
		return ProblemAnswers.withRetryAfter(HttpStatus.SERVICE_UNAVAILABLE,
				"This instance serves as many event streams as it may (sample.events.max-clients); retry later.",
				RETRY_WHEN_FULL);
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail badRequest(IllegalArgumentException ex, HttpServletRequest request) {
		return BadRequests.problem(ex, request);
	}

	/**
	 * The answer to a publish.
	 * @param receivers how many subscribers received the event: the instances relaying it (and any other
	 * subscriber of the channel, such as {@code redis-cli SUBSCRIBE sample:events})
	 */
	record Published(long receivers) {
	}

	/** Every stream this instance may serve is open, or the application is stopping. */
	static final class TooManyClientsException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TooManyClientsException() {
			super("No event stream is free");
		}

	}

}
