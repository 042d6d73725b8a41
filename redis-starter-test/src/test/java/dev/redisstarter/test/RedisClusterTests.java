package dev.redisstarter.test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("compat")
@RealRedis(Topology.CLUSTER)
class RedisClusterTests {

	@Test
	void everySlotIsCoveredByExactlyOneOfThreeMasters(RedisCluster cluster) {
		assertThat(cluster.masters()).hasSize(3);
		Set<Integer> covered = new HashSet<>();
		RedisClusterClient client = RedisClusterClient.create(RedisURI.create(cluster.masters().get(0).url()));
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			List<RedisClusterNode> masters = connection.getPartitions()
				.stream()
				.filter((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
				.toList();
			assertThat(masters).hasSize(3);
			for (RedisClusterNode master : masters) {
				for (int slot : master.getSlots()) {
					assertThat(covered.add(slot)).as("slot %d served twice", slot).isTrue();
				}
			}
		}
		finally {
			client.shutdown();
		}
		assertThat(covered).hasSize(RedisCluster.SLOTS);
	}

	@Test
	void acceptsWritesToKeysInEveryMastersSlotRange(RedisCluster cluster) {
		RedisClusterClient client = RedisClusterClient.create(RedisURI.create(cluster.masters().get(0).url()));
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			Set<LocalRedisServer> written = new HashSet<>();
			for (int i = 0; written.size() < 3 && i < 1000; i++) {
				String key = "cluster-test:" + i;
				connection.sync().set(key, "v" + i);
				assertThat(connection.sync().get(key)).isEqualTo("v" + i);
				LocalRedisServer owner = cluster.masterForSlot(SlotHash.getSlot(key));
				assertThat(owner.command("GET", key)).as("stored on the master that owns its slot").isEqualTo("v" + i);
				written.add(owner);
			}
			assertThat(written).containsExactlyInAnyOrderElementsOf(cluster.masters());
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void suppliesTheSeedNodesAsSpringProperties(RedisCluster cluster) {
		assertThat(cluster.springDataRedisProperties()).containsEntry("spring.data.redis.cluster.nodes",
				cluster.seedNodes());
		assertThat(cluster.seedNodes().split(",")).hasSize(3).allMatch((node) -> node.startsWith("127.0.0.1:"));
	}

}
