package dev.redisstarter.lock;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

/** The lock contract, release notices included, through Sentinel. */
@RealRedis(Topology.SENTINEL)
class SentinelLockTests extends LockContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.sentinel();
	}

}
