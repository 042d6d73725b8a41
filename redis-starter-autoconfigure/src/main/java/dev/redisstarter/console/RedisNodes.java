package dev.redisstarter.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisPermissionException;

/**
 * Runs a read on each Redis node that holds data: the one server (or the Sentinel's master), or each master of a
 * Cluster (from the client's view of the slots), on the console's connection and within its deadline per call.
 * A node that fails is reported with its error; the others are still read.
 */
final class RedisNodes {

	/** What one node answered, or why it did not. */
	record Answer<T>(String node, @Nullable T value, @Nullable String error) {
	}

	/** A read on one node. */
	@FunctionalInterface
	interface NodeRead<T> {

		T read(RedisClusterAsyncCommands<byte[], byte[]> node, RedisCalls calls);

	}

	private final RedisCalls calls;

	private final String standaloneName;

	RedisNodes(RedisCalls calls, String standaloneName) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.standaloneName = Objects.requireNonNull(standaloneName, "standaloneName must not be null");
	}

	RedisCalls calls() {
		return this.calls;
	}

	/**
	 * Reads every node; the calls are refused at once (one answer with the error) while the circuit is open.
	 * @param <T> what a read returns
	 * @param read the read
	 * @return one answer per node, masters sorted by address
	 */
	<T> List<Answer<T>> each(NodeRead<T> read) {
		try {
			return this.calls.run((redis) -> {
				if (redis instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster) {
					List<RedisClusterNode> masters = new ArrayList<>();
					for (RedisClusterNode node : cluster.getStatefulConnection().getPartitions()) {
						if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
							masters.add(node);
						}
					}
					masters.sort(Comparator.comparing((node) -> address(node.getUri())));
					List<Answer<T>> answers = new ArrayList<>();
					for (RedisClusterNode node : masters) {
						String name = address(node.getUri());
						try {
							answers.add(new Answer<>(name, read.read(cluster.getConnection(node.getNodeId()), this.calls),
									null));
						}
						catch (DataAccessException | RedisPermissionException | io.lettuce.core.RedisException ex) {
							answers.add(new Answer<>(name, null, String.valueOf(ex.getMessage())));
						}
					}
					return answers;
				}
				return List.of(new Answer<>(this.standaloneName, read.read(redis, this.calls), null));
			});
		}
		catch (DataAccessException | RedisPermissionException | io.lettuce.core.RedisException ex) {
			return List.of(new Answer<>(this.standaloneName, null, String.valueOf(ex.getMessage())));
		}
	}

	private static String address(RedisURI uri) {
		return uri.getHost() + ":" + uri.getPort();
	}

}
