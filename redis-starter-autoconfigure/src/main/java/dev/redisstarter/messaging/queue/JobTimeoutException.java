package dev.redisstarter.messaging.queue;

import java.time.Duration;

/**
 * An attempt ran past its timeout: its handler thread was interrupted and the attempt counts as failed.
 */
public class JobTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception for an attempt.
	 * @param jobId the job
	 * @param timeout the attempt's timeout
	 */
	public JobTimeoutException(String jobId, Duration timeout) {
		super("job " + jobId + " ran past its attempt timeout of " + timeout.toMillis() + " ms");
	}

}
