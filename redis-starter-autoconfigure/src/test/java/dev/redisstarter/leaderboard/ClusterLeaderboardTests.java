package dev.redisstarter.leaderboard;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@RealRedis(Topology.CLUSTER)
class ClusterLeaderboardTests extends LeaderboardContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.cluster();
	}

}
