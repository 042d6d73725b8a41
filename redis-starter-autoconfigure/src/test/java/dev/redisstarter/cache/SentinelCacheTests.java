package dev.redisstarter.cache;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@RealRedis(Topology.SENTINEL)
class SentinelCacheTests extends CacheContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.sentinel();
	}

}
