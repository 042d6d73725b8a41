package dev.redisstarter.sample.quotes;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.messaging.pubsub.MessageBus;
import dev.redisstarter.messaging.pubsub.MessageRequestFailedException;
import dev.redisstarter.messaging.pubsub.MessageRequestTimeoutException;

/**
 * Quotes over request-reply on pub/sub: {@code GET /api/quotes/{sku}} asks whichever instance's
 * {@link QuoteDesk} answers first and relays its {@code {"sku": ..., "price": n}}. 504 when no answer came
 * within {@code sample.quotes.timeout} (no desk is listening, or none answered in time); 502 when the desk that
 * answered failed; 503 when Redis is unreachable (the starter's {@code MessagingExceptionHandler}).
 */
@RestController
class QuoteController {

	static final String CHANNEL = "quotes";

	private final MessageBus bus;

	private final Duration timeout;

	QuoteController(MessageBus bus, @Value("${sample.quotes.timeout:2s}") Duration timeout) {
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("sample.quotes.timeout must be positive, was " + timeout);
		}
		this.bus = bus;
		this.timeout = timeout;
	}

	@GetMapping("/api/quotes/{sku}")
	Quote quote(@PathVariable String sku) {
		return this.bus.request(CHANNEL, sku, Quote.class, this.timeout);
	}

	@ExceptionHandler(MessageRequestTimeoutException.class)
	ProblemDetail noAnswer(MessageRequestTimeoutException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage());
		problem.setTitle("No quote in time");
		return problem;
	}

	@ExceptionHandler(MessageRequestFailedException.class)
	ProblemDetail failed(MessageRequestFailedException ex) {
		// The requester learns only the listener's exception as text: its failure is the quote service's, not
		// the client's, whatever the cause.
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, ex.getMessage());
		problem.setTitle("The quote desk failed");
		return problem;
	}

}
