package dev.redisstarter.ratelimit;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@RealRedis(Topology.CLUSTER)
class ClusterRateLimiterTests extends RateLimiterContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.cluster();
	}

}
