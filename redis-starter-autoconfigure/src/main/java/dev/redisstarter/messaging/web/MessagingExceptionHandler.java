package dev.redisstarter.messaging.web;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.UnavailableAnswer;
import dev.redisstarter.messaging.pubsub.MessagingUnavailableException;
import dev.redisstarter.messaging.queue.JobQueueUnavailableException;
import dev.redisstarter.messaging.stream.StreamUnavailableException;

/**
 * Answers the messaging capabilities' "Redis unavailable" exceptions in a controller (a publish or request on a
 * channel, a stream operation, a job queue operation) as every capability answers Redis being unavailable
 * ({@link UnavailableAnswer}: 503, {@code Retry-After}, WARN at most every 10 s for each of the three). The
 * problem names no channel, stream, queue or job.
 * <p>
 * Ordered at {@link ProblemAnswers#ORDER}, so that an application's catch-all handler does not turn these into a
 * 500; an {@code @ExceptionHandler} in the controller itself, or in an advice ordered before it, still wins, and a
 * bean of this type replaces this one.
 */
@RestControllerAdvice
@Order(ProblemAnswers.ORDER)
public class MessagingExceptionHandler {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = UnavailableAnswer.DEFAULT_RETRY_AFTER;

	private static final Log logger = LogFactory.getLog(MessagingExceptionHandler.class);

	private final UnavailableAnswer pubSub;

	private final UnavailableAnswer streams;

	private final UnavailableAnswer queue;

	/** A handler that asks clients to retry after {@link #DEFAULT_RETRY_AFTER}. */
	public MessagingExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait (positive)
	 */
	public MessagingExceptionHandler(Duration retryAfter) {
		this.pubSub = new UnavailableAnswer(retryAfter, logger);
		this.streams = new UnavailableAnswer(retryAfter, logger);
		this.queue = new UnavailableAnswer(retryAfter, logger);
	}

	/**
	 * A publish or request on a channel could not reach Redis.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(MessagingUnavailableException.class)
	public ResponseEntity<ProblemDetail> pubSubUnavailable(MessagingUnavailableException ex) {
		return this.pubSub.answer("Messaging is unavailable; retry later.", ex);
	}

	/**
	 * A stream operation could not reach Redis.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(StreamUnavailableException.class)
	public ResponseEntity<ProblemDetail> streamUnavailable(StreamUnavailableException ex) {
		return this.streams.answer("Streams are unavailable; retry later.", ex);
	}

	/**
	 * A job queue operation could not reach Redis.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(JobQueueUnavailableException.class)
	public ResponseEntity<ProblemDetail> queueUnavailable(JobQueueUnavailableException ex) {
		return this.queue.answer("The job queue is unavailable; retry later.", ex);
	}

}
