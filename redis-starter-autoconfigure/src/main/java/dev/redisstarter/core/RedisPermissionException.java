package dev.redisstarter.core;

import org.jspecify.annotations.Nullable;

/**
 * Redis refused a command, key or channel to the user the application authenticates as ({@code NOPERM}): a
 * configuration error that waiting does not fix, not an outage. The message names the capability, the
 * command when Redis names it, the key prefix, and what to grant.
 *
 * <p>Not a {@link org.springframework.dao.DataAccessException}, on purpose: every capability applies its
 * Redis-down policy (serve from the loader, let a rate limit through, defer an invalidation) to data access
 * failures, and a permission refusal must reach the caller instead, so that it is seen and fixed, not hidden.
 * It does not count against the circuit: Redis answered.
 */
public class RedisPermissionException extends IllegalStateException {

	private final Feature feature;

	private final @Nullable String command;

	/**
	 * A refusal.
	 * @param feature the capability whose call was refused
	 * @param command the refused command, lower case, or {@code null} when unknown
	 * @param message what to say, naming what to grant
	 * @param cause what Lettuce reported
	 */
	public RedisPermissionException(Feature feature, @Nullable String command, String message, Throwable cause) {
		super(message, cause);
		this.feature = feature;
		this.command = command;
	}

	/**
	 * The capability whose call was refused.
	 * @return the capability
	 */
	public Feature getFeature() {
		return this.feature;
	}

	/**
	 * The refused command.
	 * @return lower case, such as {@code evalsha}, or {@code null} when unknown
	 */
	public @Nullable String getCommand() {
		return this.command;
	}

}
