package dev.redisstarter.core;

import java.util.List;

/**
 * Redis failed the starter's server checks and the checks were asked to stop start-up
 * ({@code redis.starter.resilience.eviction-policy-check=fail}).
 */
public class ServerCheckFailedException extends IllegalStateException {

	private final List<String> problems;

	/**
	 * A failure.
	 * @param problems what the checks found
	 */
	public ServerCheckFailedException(List<String> problems) {
		super("Redis fails the starter's server checks (redis.starter.resilience.eviction-policy-check=fail): "
				+ String.join("; ", problems));
		this.problems = List.copyOf(problems);
	}

	/**
	 * What the checks found.
	 * @return the problems
	 */
	public List<String> getProblems() {
		return this.problems;
	}

}
