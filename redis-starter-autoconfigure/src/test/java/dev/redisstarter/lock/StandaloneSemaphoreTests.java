package dev.redisstarter.lock;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;


@RealRedis
class StandaloneSemaphoreTests extends SemaphoreContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

}
