package dev.redisstarter.messaging.queue;

import java.nio.charset.StandardCharsets;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;

/**
 * A queue's keys, all under {@code <prefix>queue:{<queue>}} (the queue's name is their hash tag, so one script
 * moves jobs between them on Cluster): {@code :ready}, {@code :delayed}, {@code :active}, {@code :completed},
 * {@code :dead} (sorted sets), {@code :job:<id>} (hashes), {@code :signal} (a list idle workers wait on),
 * {@code :id} (the sequence), {@code :paused}, {@code :dedup:<key>}, {@code :schedule:<name>}.
 *
 * @param naming the application's key naming
 */
public record QueueKeys(KeyNaming naming) {

	/**
	 * The base key scripts receive; the others are built from it in the scripts.
	 * @param queue the queue's name
	 * @return {@code <prefix>queue:{<queue>}}
	 */
	public String base(String queue) {
		return this.naming.hashTagged(Feature.QUEUE, requireName(queue));
	}

	/**
	 * The list idle workers block on.
	 * @param queue the queue's name
	 * @return the key
	 */
	public String signal(String queue) {
		return base(queue) + ":signal";
	}

	/**
	 * A schedule's state (its last tick).
	 * @param queue the queue's name
	 * @param schedule the schedule's name
	 * @return the key
	 */
	public String schedule(String queue, String schedule) {
		return base(queue) + ":schedule:" + schedule;
	}

	byte[] baseBytes(String queue) {
		return base(queue).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Checks a queue name.
	 * @param queue the name
	 * @return the name
	 * @throws IllegalArgumentException when empty or containing braces
	 */
	public static String requireName(String queue) {
		if (queue == null || queue.isBlank() || queue.indexOf('}') >= 0 || queue.indexOf('{') >= 0) {
			throw new IllegalArgumentException("A queue name must not be empty or contain braces, was '" + queue + "'");
		}
		return queue;
	}

}
