package dev.redisstarter.messaging.stream;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

/** {@link StreamReadAheadTests} on a three-master Cluster. */
@RealRedis(Topology.CLUSTER)
class ClusterStreamReadAheadTests extends StreamReadAheadTests {

	@Override
	RedisDeployment redis() {
		return SharedRedis.cluster();
	}

}
