package dev.redisstarter.messaging.queue;

import java.time.Duration;

/**
 * Thrown by a {@link JobHandler} when an upstream asked to slow down (an HTTP 429, say): every worker of the
 * queue, in every instance, stops taking jobs for {@link #pause()}, and this job goes back to waiting without
 * counting the attempt.
 */
public class JobBackOffException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final Duration pause;

	/**
	 * An exception asking for a pause.
	 * @param pause how long the queue pauses (for example the upstream's Retry-After)
	 */
	public JobBackOffException(Duration pause) {
		super("the queue is asked to back off for " + pause.toMillis() + " ms");
		if (pause.toMillis() < 1) {
			throw new IllegalArgumentException("A back-off pause must be at least 1ms, was " + pause);
		}
		this.pause = pause;
	}

	/**
	 * How long the queue pauses.
	 * @return the pause
	 */
	public Duration pause() {
		return this.pause;
	}

}
