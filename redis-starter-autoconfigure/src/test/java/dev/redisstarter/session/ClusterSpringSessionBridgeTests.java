package dev.redisstarter.session;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@RealRedis(Topology.CLUSTER)
class ClusterSpringSessionBridgeTests extends SpringSessionBridgeContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.cluster();
	}

}
