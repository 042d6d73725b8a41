package dev.redisstarter.lock;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/**
 * The lock contract on a 3-master Cluster, as a user with the README's ACL rule (and its Cluster
 * addition) on every node.
 */
class SecuredClusterLockTests extends LockContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.clusterContractUser();
	}

}
