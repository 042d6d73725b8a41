package dev.redisstarter.lock;

import org.junit.jupiter.api.Tag;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

@Tag("compat")
@RealRedis
class StandaloneLockTests extends LockContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

}
