package dev.redisstarter.lock;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@RealRedis(Topology.CLUSTER)
class ClusterReadWriteLockTests extends ReadWriteLockContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.cluster();
	}

}
