package dev.redisstarter.cache;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/**
 * The cache contract on a 3-master Cluster, as a user with the README's ACL rule (and its Cluster
 * addition) on every node.
 */
class SecuredClusterCacheTests extends CacheContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.clusterContractUser();
	}

}
