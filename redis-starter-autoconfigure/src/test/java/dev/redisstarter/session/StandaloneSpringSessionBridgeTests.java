package dev.redisstarter.session;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

@RealRedis
class StandaloneSpringSessionBridgeTests extends SpringSessionBridgeContractTests {

	@Override
	RedisDeployment deployment() {
		return SharedRedis.standalone();
	}

}
