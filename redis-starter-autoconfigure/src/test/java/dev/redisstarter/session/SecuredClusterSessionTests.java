package dev.redisstarter.session;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/**
 * The session contract on a 3-master Cluster, as a user with the README's ACL rule (and its Cluster
 * addition) on every node.
 */
class SecuredClusterSessionTests extends SessionContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.clusterContractUser();
	}

}
