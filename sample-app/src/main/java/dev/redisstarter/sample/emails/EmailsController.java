package dev.redisstarter.sample.emails;

import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.messaging.queue.JobInfo;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobState;

import dev.redisstarter.sample.BadRequests;

/**
 * E-mails over a job queue: {@code POST /api/emails} enqueues a send job on the {@code emails} queue and answers
 * 202 with its id; {@link Mailer} runs it (at-least-once, retried with backoff, dead-lettered once its attempts are
 * spent). {@code GET /api/emails/{jobId}} answers the job's state and attempts (404 once it is unknown: never
 * enqueued, or past its retention); {@code GET /api/emails/sent} lists what this instance sent. Dead letters are
 * listed and retried through {@code /actuator/jobqueues}. While Redis is unreachable these answer 503 (the
 * starter's {@code MessagingExceptionHandler}).
 */
@RestController
@RequestMapping("/api/emails")
class EmailsController {

	static final String QUEUE = "emails";

	private static final int MAX_ADDRESS_LENGTH = 254;

	private static final int MAX_SUBJECT_LENGTH = 200;

	/** Deliberately loose: one {@code @}, something on each side, a dot in the domain, no spaces. */
	private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

	private final JobQueue jobs;

	private final Mailer mailer;

	EmailsController(JobQueue jobs, Mailer mailer) {
		this.jobs = jobs;
		this.mailer = mailer;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	Enqueued send(@RequestBody EmailRequest request) {
		String to = request.to();
		if (to == null || to.length() > MAX_ADDRESS_LENGTH || !ADDRESS.matcher(to).matches()
				|| to.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException(
					"'to' is required: an e-mail address of at most " + MAX_ADDRESS_LENGTH + " characters");
		}
		String subject = (request.subject() != null) ? request.subject() : "";
		if (subject.length() > MAX_SUBJECT_LENGTH || subject.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException(
					"'subject' must have at most " + MAX_SUBJECT_LENGTH + " characters, without control characters");
		}
		return new Enqueued(this.jobs.enqueue(QUEUE, new Email(to, subject)));
	}

	@GetMapping("/{jobId}")
	JobStatus status(@PathVariable String jobId) {
		return this.jobs.job(QUEUE, jobId).map(JobStatus::of).orElseThrow(() -> new NoSuchJobException(jobId));
	}

	@GetMapping("/sent")
	List<SentEmail> sent() {
		return this.mailer.recent();
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail badRequest(IllegalArgumentException ex, HttpServletRequest request) {
		return BadRequests.problem(ex, request);
	}

	@ExceptionHandler(NoSuchJobException.class)
	ProblemDetail notFound(NoSuchJobException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("No such job");
		return problem;
	}

	/**
	 * The body of {@code POST /api/emails}.
	 * @param to the recipient's address
	 * @param subject the subject line (empty when absent)
	 */
	record EmailRequest(@Nullable String to, @Nullable String subject) {
	}

	/**
	 * The answer to {@code POST /api/emails}.
	 * @param jobId the send job's id
	 */
	record Enqueued(String jobId) {
	}

	/**
	 * A send job's state.
	 * @param state waiting, delayed, active, completed or dead
	 * @param attempts how many attempts started
	 * @param maxAttempts how many it gets
	 * @param error the last failed attempt's error message, if any
	 */
	record JobStatus(JobState state, int attempts, int maxAttempts, @Nullable String error) {

		static JobStatus of(JobInfo job) {
			return new JobStatus(job.state(), job.attempts(), job.maxAttempts(), job.errorMessage());
		}

	}

	/** A status request named a job the {@code emails} queue does not have (any more). */
	static final class NoSuchJobException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NoSuchJobException(String jobId) {
			super("The emails queue has no job '" + jobId + "'");
		}

	}

}
