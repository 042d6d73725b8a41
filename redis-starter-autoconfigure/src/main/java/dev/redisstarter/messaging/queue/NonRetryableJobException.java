package dev.redisstarter.messaging.queue;

/**
 * Thrown by a {@link JobHandler} for an error that another attempt would not fix (bad input, a rejected
 * address): the job goes to the dead letters at once, whatever attempts it has left. Subclass it, or list other
 * exception types in {@link JobHandler#noRetryFor()}.
 */
public class NonRetryableJobException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception with a message.
	 * @param message what went wrong
	 */
	public NonRetryableJobException(String message) {
		super(message);
	}

	/**
	 * An exception with a message and a cause.
	 * @param message what went wrong
	 * @param cause the cause
	 */
	public NonRetryableJobException(String message, Throwable cause) {
		super(message, cause);
	}

}
