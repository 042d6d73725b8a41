package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisUnavailableException;

/**
 * Removes the entries whose keys match a glob: {@code SCAN} (on every master of a Cluster), never {@code KEYS},
 * and {@code UNLINK} in batches. Tag versions and load locks share the namespace and are left alone.
 */
final class PatternInvalidation {

	private static final int BATCH = 100;

	private final CacheCommands commands;

	private final KeyNaming keys;

	PatternInvalidation(CacheCommands commands, KeyNaming keys) {
		this.commands = commands;
		this.keys = keys;
	}

	long invalidate(String glob) {
		if (glob == null || glob.isEmpty()) {
			throw new IllegalArgumentException("The pattern must not be empty");
		}
		ScanOptions options = ScanOptions.scanOptions().match(this.keys.pattern(Feature.CACHE, glob)).count(500).build();
		if (!this.commands.calls().access().circuit().allowsCalls()) {
			throw new RedisUnavailableException("Redis is unreachable (circuit open): pattern '" + glob + "' not invalidated");
		}
		long removed = 0;
		try (RedisConnection connection = this.commands.connectionFactory().getConnection()) {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster()) {
						try (Cursor<byte[]> cursor = cluster.scan(node, options)) {
							removed += unlinkAll(cursor);
						}
					}
				}
			}
			else {
				try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
					removed += unlinkAll(cursor);
				}
			}
		}
		return removed;
	}

	private long unlinkAll(Cursor<byte[]> cursor) {
		long removed = 0;
		List<byte[]> batch = new ArrayList<>(BATCH);
		String tags = this.keys.key(Feature.CACHE, "tag", "");
		String locks = this.keys.key(Feature.CACHE, "lock", "");
		while (cursor.hasNext()) {
			byte[] key = cursor.next();
			String name = new String(key, StandardCharsets.UTF_8);
			if (name.startsWith(tags) || name.startsWith(locks)) {
				continue;
			}
			batch.add(key);
			if (batch.size() == BATCH) {
				removed += this.commands.unlink(batch);
				batch.clear();
			}
		}
		return removed + this.commands.unlink(batch);
	}

}
