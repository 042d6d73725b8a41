package dev.redisstarter.leaderboard;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/**
 * The leaderboard contract on a 3-master Cluster, as a user with the README's ACL rule (and its Cluster
 * addition) on every node.
 */
class SecuredClusterLeaderboardTests extends LeaderboardContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.clusterContractUser();
	}

}
