package dev.redisstarter.autoconfigure;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@RealRedis(Topology.CLUSTER)
class ClusterCacheWarmingTests extends CacheWarmingContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.cluster();
	}

}
