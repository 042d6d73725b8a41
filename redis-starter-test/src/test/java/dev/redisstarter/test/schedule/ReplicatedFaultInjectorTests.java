package dev.redisstarter.test.schedule;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisSentinelGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Tag("fault-schedule")
class ReplicatedFaultInjectorTests {

	@Test
	void aSentinelFailoverPromotesTheReplicaAndHealsWithTheOldMasterFollowingIt() {
		try (RedisSentinelGroup group = RedisSentinelGroup.create().start()) {
			String before = group.currentMasterAddress();
			FaultInjector injector = FaultInjector.builder().sentinel(group).log((line) -> { }).build();

			injector.run(schedule(FaultKind.SENTINEL_FAILOVER, 0));

			assertThat(group.currentMasterAddress()).isNotEqualTo(before).isEqualTo(group.replica().address());
			assertThat(String.valueOf(group.master().command("INFO", "replication"))).contains("role:slave",
					"master_link_status:up");
		}
	}

	@Test
	void aKilledClusterMasterIsReplacedByItsReplicaAndRejoinsAsAReplica() {
		try (RedisCluster cluster = RedisCluster.of(3, 1).start()) {
			LocalRedisServer first = cluster.masters().get(0);
			FaultInjector injector = FaultInjector.builder().cluster(cluster).log((line) -> { }).build();

			injector.run(schedule(FaultKind.CLUSTER_MASTER_KILLED, 0));

			assertThat(first.isRunning()).isTrue();
			assertThat(String.valueOf(first.command("INFO", "replication"))).contains("role:slave", "master_link_status:up");
			assertThat(cluster.nodes()).allSatisfy(
					(node) -> assertThat(String.valueOf(node.command("CLUSTER", "INFO"))).contains("cluster_state:ok"));
		}
	}

	@Test
	void aClusterWithoutReplicasCannotLoseAMasterInASchedule() {
		try (RedisCluster cluster = RedisCluster.of(1, 0).start()) {
			FaultInjector injector = FaultInjector.builder().cluster(cluster).log((line) -> { }).build();

			assertThatIllegalArgumentException().isThrownBy(() -> injector.run(schedule(FaultKind.CLUSTER_MASTER_KILLED, 0)))
				.withMessageContaining("RedisCluster.of(3, 1)");
		}
	}

	private static FaultSchedule schedule(FaultKind kind, int target) {
		return new FaultSchedule(0, Duration.ofMillis(400),
				List.of(new ScheduledFault(Duration.ofMillis(100), kind, Duration.ofMillis(200), target)));
	}

}
