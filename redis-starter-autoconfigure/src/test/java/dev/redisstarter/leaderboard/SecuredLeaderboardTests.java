package dev.redisstarter.leaderboard;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/** The leaderboard contract over TLS, as a user with the README's ACL rule for the suite's key prefix only. */
class SecuredLeaderboardTests extends LeaderboardContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.contractUser();
	}

}
