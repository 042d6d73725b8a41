package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.StreamInfo;

/**
 * A stream's state as Redis holds it, read through an application context's own connection factory, so that the
 * same assertions work on a single server and on a Cluster.
 */
final class StreamState {

	private StreamState() {
	}

	/** The ids of the entries pending in a group, oldest first. */
	static Set<String> pendingIds(ApplicationContext context, String stream, String group) {
		try (RedisConnection connection = connection(context)) {
			PendingMessages pending = connection.streamCommands()
				.xPending(key(context, stream), group, Range.unbounded(), 1_000_000L);
			Set<String> ids = new LinkedHashSet<>();
			for (PendingMessage message : pending) {
				ids.add(message.getIdAsString());
			}
			return ids;
		}
	}

	/** The id of the last entry delivered to a group (XINFO GROUPS), or {@code 0-0}. */
	static String lastDeliveredId(ApplicationContext context, String stream, String group) {
		try (RedisConnection connection = connection(context)) {
			return connection.streamCommands()
				.xInfoGroups(key(context, stream))
				.stream()
				.filter((info) -> info.groupName().equals(group))
				.map(StreamInfo.XInfoGroup::lastDeliveredId)
				.findFirst()
				.orElse("0-0");
		}
	}

	/** The names of the stream's groups (XINFO GROUPS). */
	static List<String> groups(ApplicationContext context, String stream) {
		try (RedisConnection connection = connection(context)) {
			return connection.streamCommands()
				.xInfoGroups(key(context, stream))
				.stream()
				.map(StreamInfo.XInfoGroup::groupName)
				.toList();
		}
	}

	/** Creates a group at the start of the stream (XGROUP CREATE ... 0). */
	static void createGroup(ApplicationContext context, String stream, String group) {
		try (RedisConnection connection = connection(context)) {
			connection.streamCommands()
				.xGroupCreate(key(context, stream), group, org.springframework.data.redis.connection.stream.ReadOffset.from("0"));
		}
	}

	/** How many entries the stream holds (XLEN). */
	static long length(ApplicationContext context, String stream) {
		try (RedisConnection connection = connection(context)) {
			Long length = connection.streamCommands().xLen(key(context, stream));
			return (length != null) ? length : 0;
		}
	}

	/** The ids of the entries the stream holds, oldest first. */
	static List<String> ids(ApplicationContext context, String stream) {
		try (RedisConnection connection = connection(context)) {
			return connection.streamCommands()
				.xRange(key(context, stream), Range.unbounded(), Limit.unlimited())
				.stream()
				.map((record) -> record.getId().getValue())
				.toList();
		}
	}

	/** Removes every entry, exactly (XTRIM MAXLEN 0), as a retention far shorter than an absence would. */
	static void trimAll(ApplicationContext context, String stream) {
		try (RedisConnection connection = connection(context)) {
			connection.streamCommands().xTrim(key(context, stream), 0, false);
		}
	}

	private static RedisConnection connection(ApplicationContext context) {
		return context.getBean(RedisConnectionFactory.class).getConnection();
	}

	private static byte[] key(ApplicationContext context, String stream) {
		return context.getBean(StreamKeys.class).stream(stream).getBytes(StandardCharsets.UTF_8);
	}

}
