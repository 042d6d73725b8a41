package dev.redisstarter.sample.orders;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.messaging.stream.DeadLetter;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.StreamPublisher;

import dev.redisstarter.sample.BadRequests;

/**
 * Orders over a Redis stream: {@code POST /api/orders} adds the order to the {@code orders} stream and answers 202
 * with the entry's id; {@link Fulfilment} handles it (at-least-once, acknowledged after it returns).
 * {@code GET /api/orders/fulfilled} lists what this instance fulfilled; {@code GET /api/orders/dead-letters} lists
 * the orders given up after {@code max-deliveries} failures, and {@code POST /api/orders/dead-letters/{id}/replay}
 * puts one back into the stream as a new entry (202 with its id; 404 when there is no such dead letter). While
 * Redis is unreachable these answer 503 (the starter's {@code MessagingExceptionHandler}).
 */
@RestController
@RequestMapping("/api/orders")
class OrdersController {

	static final String STREAM = "orders";

	private static final int MAX_ITEM_LENGTH = 200;

	private static final int MAX_LISTED = 1000;

	private final StreamPublisher publisher;

	private final DeadLetters deadLetters;

	private final Fulfilment fulfilment;

	private final JsonMapper json;

	OrdersController(StreamPublisher publisher, DeadLetters deadLetters, Fulfilment fulfilment, JsonMapper json) {
		this.publisher = publisher;
		this.deadLetters = deadLetters;
		this.fulfilment = fulfilment;
		this.json = json;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	Added order(@RequestBody Order order) {
		String item = order.item();
		if (item == null || item.isBlank() || item.length() > MAX_ITEM_LENGTH
				|| item.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException(
					"'item' is required, at most " + MAX_ITEM_LENGTH + " characters, without control characters");
		}
		if (order.quantity() < 1) {
			throw new IllegalArgumentException("'quantity' must be at least 1, was " + order.quantity());
		}
		return new Added(this.publisher.add(STREAM, order).getValue());
	}

	@GetMapping("/fulfilled")
	List<FulfilledOrder> fulfilled() {
		return this.fulfilment.recent();
	}

	@GetMapping("/dead-letters")
	List<DeadOrder> deadLetters(@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_LISTED) {
			throw new IllegalArgumentException("'limit' must be between 1 and " + MAX_LISTED + ", was " + limit);
		}
		return this.deadLetters.list(STREAM, limit)
			.stream()
			.map((letter) -> new DeadOrder(letter.id(), letter.originalId(), item(letter), letter.deliveries(),
					letter.message(), letter.error()))
			.toList();
	}

	@PostMapping("/dead-letters/{id}/replay")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Added replay(@PathVariable String id) {
		return this.deadLetters.replay(STREAM, id)
			.map((entry) -> new Added(entry.getValue()))
			.orElseThrow(() -> new NoSuchDeadLetterException(id));
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail badRequest(IllegalArgumentException ex, HttpServletRequest request) {
		return BadRequests.problem(ex, request);
	}

	@ExceptionHandler(NoSuchDeadLetterException.class)
	ProblemDetail notFound(NoSuchDeadLetterException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("No such dead letter");
		return problem;
	}

	private @Nullable String item(DeadLetter letter) {
		if (letter.payload() == null) {
			return null;
		}
		try {
			JsonNode item = this.json.readTree(letter.payload()).get("item");
			return (item != null && item.isString()) ? item.asString() : null;
		}
		catch (JacksonException ex) {
			// An entry whose payload could not be read is dead-lettered at once; it has no item to show.
			return null;
		}
	}

	/**
	 * The answer to an order or a replay.
	 * @param id the entry's id in the {@code orders} stream
	 */
	record Added(String id) {
	}

	/** A replay named a dead letter the {@code orders} stream does not have (any more). */
	static final class NoSuchDeadLetterException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NoSuchDeadLetterException(String id) {
			super("The orders stream has no dead letter '" + id + "'");
		}

	}

}
