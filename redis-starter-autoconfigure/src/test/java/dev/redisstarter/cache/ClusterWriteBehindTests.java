package dev.redisstarter.cache;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@RealRedis(Topology.CLUSTER)
class ClusterWriteBehindTests extends WriteBehindContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.cluster();
	}

}
