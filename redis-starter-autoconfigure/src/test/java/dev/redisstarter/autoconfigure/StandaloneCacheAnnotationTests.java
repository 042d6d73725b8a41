package dev.redisstarter.autoconfigure;

import org.junit.jupiter.api.Tag;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

@Tag("compat")
@RealRedis(Topology.STANDALONE)
class StandaloneCacheAnnotationTests extends CacheAnnotationContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

}
