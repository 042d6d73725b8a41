package dev.redisstarter.sample.emails;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import dev.redisstarter.messaging.queue.JobContext;
import dev.redisstarter.messaging.queue.JobHandler;

/**
 * Sends the e-mails of the {@code emails} queue, up to {@value #CONCURRENCY} at once per instance; a job completes
 * once {@link #send} returns. A stand-in for a mail server: sending is logging the e-mail and remembering it (the
 * last {@value #KEPT}, in this instance's memory only). Mail to {@value #UNDELIVERABLE} always fails, so its job is
 * retried after the queue's backoff until its attempts are spent, then dead-lettered.
 */
@Component
class Mailer {

	static final String UNDELIVERABLE = "fail@example.com";

	static final int CONCURRENCY = 4;

	private static final int KEPT = 100;

	private static final Log logger = LogFactory.getLog(Mailer.class);

	private final Deque<SentEmail> recent = new ArrayDeque<>(KEPT);

	/**
	 * Sends an e-mail; an exception fails this attempt.
	 * @param email the e-mail
	 * @param job the job's id and attempt
	 */
	@JobHandler(queue = EmailsController.QUEUE, concurrency = CONCURRENCY)
	void send(Email email, JobContext job) {
		if (UNDELIVERABLE.equalsIgnoreCase(email.to())) {
			throw new IllegalStateException("The mail server rejects " + UNDELIVERABLE);
		}
		SentEmail sent = new SentEmail(job.id(), email.to(), email.subject(), job.attempt(), Instant.now());
		synchronized (this.recent) {
			if (this.recent.size() == KEPT) {
				this.recent.removeLast();
			}
			this.recent.addFirst(sent);
		}
		logger.info("Sent e-mail " + job.id() + " to " + email.to() + ": " + email.subject());
	}

	/**
	 * The e-mails this instance sent last.
	 * @return at most {@value #KEPT}, newest first
	 */
	List<SentEmail> recent() {
		synchronized (this.recent) {
			return List.copyOf(this.recent);
		}
	}

}
