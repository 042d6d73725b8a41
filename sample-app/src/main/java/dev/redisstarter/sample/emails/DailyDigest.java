package dev.redisstarter.sample.emails;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import dev.redisstarter.messaging.queue.JobContext;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.QueueCounts;

/**
 * Compiles the digest that the {@code daily-digest} schedule ({@code redis.starter.queue.schedules.daily-digest}
 * in {@code application.yml}: every day at 7:00, Paris time) enqueues on the {@code digests} queue, once per day
 * across all instances. A stand-in for a real digest: it logs how many e-mails the {@code emails} queue holds as
 * sent (within its completed retention) and dead.
 */
@Component
class DailyDigest {

	static final String QUEUE = "digests";

	private static final Log logger = LogFactory.getLog(DailyDigest.class);

	private final JobQueue jobs;

	DailyDigest(JobQueue jobs) {
		this.jobs = jobs;
	}

	/**
	 * Compiles a digest; an exception (Redis unreachable) retries it after the queue's backoff.
	 * @param digest which digest
	 * @param job the job, whose id names the schedule's tick
	 */
	@JobHandler(queue = QUEUE)
	void compile(Digest digest, JobContext job) {
		QueueCounts emails = this.jobs.counts(EmailsController.QUEUE);
		logger.info("Digest '" + digest.edition() + "' (" + job.id() + "): " + emails.completed() + " e-mails sent, "
				+ emails.dead() + " dead, " + (emails.waiting() + emails.delayed() + emails.active()) + " pending");
	}

}
