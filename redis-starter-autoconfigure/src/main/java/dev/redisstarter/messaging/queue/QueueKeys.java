package dev.redisstarter.messaging.queue;

import java.nio.charset.StandardCharsets;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;

/**
 * A queue's keys, all under {@code <prefix>queue:{<queue>}} (the queue's name is their hash tag, so one script
 * moves jobs between them on Cluster): {@code :ready}, {@code :delayed}, {@code :active}, {@code :completed},
 * {@code :dead} (sorted sets), {@code :job:<id>} (hashes), {@code :signal} (a list idle workers wait on),
 * {@code :id} (the sequence), {@code :paused}, {@code :dedup:<key>}, {@code :schedule:<name>}, {@code :seen} (when a
 * worker last checked the queue, see {@link UnhandledQueues}).
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

	/** The sorted set that indexes a state's jobs, after the base key. */
	static String setOf(JobState state) {
		return switch (state) {
			case WAITING -> "ready";
			case DELAYED -> "delayed";
			case ACTIVE -> "active";
			case COMPLETED -> "completed";
			case DEAD -> "dead";
		};
	}

	/** How many keys every queue script declares: the base key, then the queue's fixed keys. */
	static final int SCRIPT_KEYS = 9;

	private static final String[] FIXED_KEYS = { "ready", "delayed", "active", "completed", "dead", "signal", "id",
			"paused" };

	/**
	 * The keys a queue script declares: the base key and {@code :ready}, {@code :delayed}, {@code :active},
	 * {@code :completed}, {@code :dead}, {@code :signal}, {@code :id}, {@code :paused}. Declared rather than only
	 * built in the script so that, while a Cluster slot migrates, Redis refuses the script (TRYAGAIN) instead of
	 * running it on a node that holds half the queue.
	 * @param queue the queue's name
	 * @return {@link #SCRIPT_KEYS} keys
	 */
	byte[][] scriptKeys(String queue) {
		String base = base(queue);
		byte[][] keys = new byte[SCRIPT_KEYS][];
		keys[0] = base.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < FIXED_KEYS.length; i++) {
			keys[i + 1] = (base + ":" + FIXED_KEYS[i]).getBytes(StandardCharsets.UTF_8);
		}
		return keys;
	}

	static byte[][] keysAndArgs(byte[][] keys, byte[]... args) {
		byte[][] all = new byte[keys.length + args.length][];
		System.arraycopy(keys, 0, all, 0, keys.length);
		System.arraycopy(args, 0, all, keys.length, args.length);
		return all;
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
