package dev.redisstarter.core.subscription;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Checks that a node publishes the keyevent notifications that listeners subscribe to
 * ({@code notify-keyspace-events}), on a connection just opened (before it subscribes, when ordinary
 * commands are still allowed). Logs a warning naming the missing flags, or sets them when configured to.
 */
final class KeyspaceNotifications {

	private static final Log logger = LogFactory.getLog(KeyspaceNotifications.class);

	static final String KEYEVENT_PREFIX = "__keyevent@*__:";

	/** The class flag of each event (see the {@code notify-keyspace-events} documentation). */
	private static final Map<String, Character> EVENT_CLASSES = Map.ofEntries(Map.entry("expired", 'x'),
			Map.entry("evicted", 'e'), Map.entry("new", 'n'), Map.entry("del", 'g'), Map.entry("expire", 'g'),
			Map.entry("rename_from", 'g'), Map.entry("rename_to", 'g'), Map.entry("copy_to", 'g'),
			Map.entry("restore", 'g'), Map.entry("move_from", 'g'), Map.entry("move_to", 'g'),
			Map.entry("persist", 'g'), Map.entry("set", '$'), Map.entry("setrange", '$'), Map.entry("incrby", '$'),
			Map.entry("incrbyfloat", '$'), Map.entry("append", '$'), Map.entry("lpush", 'l'), Map.entry("rpush", 'l'),
			Map.entry("sadd", 's'), Map.entry("hset", 'h'), Map.entry("zadd", 'z'), Map.entry("xadd", 't'));

	private final boolean configureServer;

	KeyspaceNotifications(boolean configureServer) {
		this.configureServer = configureServer;
	}

	/**
	 * The flags that the keyevent patterns among {@code patterns} need.
	 * @param patterns subscribed patterns
	 * @return the flags, empty when none are keyevent patterns
	 */
	static String required(Collection<String> patterns) {
		Set<Character> flags = new LinkedHashSet<>();
		for (String pattern : patterns) {
			if (pattern.startsWith(KEYEVENT_PREFIX)) {
				flags.add('E');
				String event = pattern.substring(KEYEVENT_PREFIX.length());
				Character flag = EVENT_CLASSES.get(event);
				if (event.equals("*")) {
					flags.add('A');
				}
				else if (flag != null) {
					flags.add(flag);
				}
			}
		}
		StringBuilder result = new StringBuilder();
		flags.forEach(result::append);
		return result.toString();
	}

	/**
	 * The flags of {@code required} that {@code current} lacks ({@code A} stands for {@code g$lshzxet}).
	 * @param current the server's setting
	 * @param required what is needed
	 * @return the missing flags, empty when none
	 */
	static String missing(String current, String required) {
		StringBuilder missing = new StringBuilder();
		for (char flag : required.toCharArray()) {
			boolean covered = current.indexOf(flag) >= 0 || (flag != 'E' && flag != 'K' && flag != 'n'
					&& flag != 'm' && flag != 'A' && current.indexOf('A') >= 0);
			if (!covered) {
				missing.append(flag);
			}
		}
		return missing.toString();
	}

	/**
	 * Checks (and, when configured, sets) {@code notify-keyspace-events} on a node, without waiting: on a RESP3
	 * connection commands are allowed while subscribed.
	 * @param node the node, in logs
	 * @param connection a connection to it
	 * @param patterns the patterns about to be subscribed there
	 * @param timeoutMillis how long to wait for each answer
	 */
	void check(String node, StatefulRedisPubSubConnection<byte[], byte[]> connection, Collection<String> patterns,
			long timeoutMillis) {
		String required = required(patterns);
		if (required.isEmpty()) {
			return;
		}
		connection.async()
			.configGet("notify-keyspace-events")
			.toCompletableFuture()
			.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
			.thenCompose((config) -> {
				String current = config.getOrDefault("notify-keyspace-events", "");
				String missing = missing(current, required);
				if (missing.isEmpty()) {
					return CompletableFuture.completedFuture(null);
				}
				if (!this.configureServer) {
					logger.warn("notify-keyspace-events on " + node + " is '" + current + "': @KeyEventListener needs '"
							+ missing + "' as well, and receives nothing until it is set (CONFIG SET"
							+ " notify-keyspace-events " + current + missing
							+ ", or redis.starter.messaging.keyspace.configure-server=true)");
					return CompletableFuture.completedFuture(null);
				}
				String wanted = current + missing;
				return connection.async()
					.configSet("notify-keyspace-events", wanted)
					.toCompletableFuture()
					.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
					.thenRun(() -> logger.info("Set notify-keyspace-events to '" + wanted + "' on " + node
							+ " (redis.starter.messaging.keyspace.configure-server=true)"));
			})
			.exceptionally((failure) -> {
				// Managed services often refuse CONFIG: say what to check, and subscribe anyway.
				logger.warn("Could not check notify-keyspace-events on " + node + " (" + failure.getMessage()
						+ "): @KeyEventListener needs '" + required + "' in it");
				return null;
			});
	}

}
