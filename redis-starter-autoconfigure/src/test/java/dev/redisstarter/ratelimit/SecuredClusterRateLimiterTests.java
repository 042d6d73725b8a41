package dev.redisstarter.ratelimit;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/**
 * The rate limiter contract on a 3-master Cluster, as a user with the README's ACL rule (and its Cluster
 * addition) on every node.
 */
class SecuredClusterRateLimiterTests extends RateLimiterContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.clusterContractUser();
	}

}
