package dev.redisstarter.messaging.queue;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

/** {@link UnhandledQueueTests} on a three-master Cluster. */
@RealRedis(Topology.CLUSTER)
class ClusterUnhandledQueueTests extends UnhandledQueueTests {

	@Override
	RedisDeployment redis() {
		return SharedRedis.cluster();
	}

}
