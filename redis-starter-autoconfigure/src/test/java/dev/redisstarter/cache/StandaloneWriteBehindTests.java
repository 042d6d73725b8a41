package dev.redisstarter.cache;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

@RealRedis
class StandaloneWriteBehindTests extends WriteBehindContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

}
