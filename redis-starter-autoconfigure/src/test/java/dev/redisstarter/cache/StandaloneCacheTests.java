package dev.redisstarter.cache;

import org.junit.jupiter.api.Tag;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

@Tag("compat")
@RealRedis
class StandaloneCacheTests extends CacheContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

}
