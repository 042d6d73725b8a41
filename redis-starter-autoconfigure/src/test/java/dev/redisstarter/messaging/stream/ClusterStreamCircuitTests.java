package dev.redisstarter.messaging.stream;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

/** {@link StreamCircuitTests} on a three-master Cluster. */
@RealRedis(Topology.CLUSTER)
class ClusterStreamCircuitTests extends StreamCircuitTests {

	@Override
	RedisDeployment redis() {
		return SharedRedis.cluster();
	}

}
