package dev.redisstarter.messaging.queue;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

/** {@link UnhandledQueueTests} on a single server. */
@RealRedis
class StandaloneUnhandledQueueTests extends UnhandledQueueTests {

	@Override
	RedisDeployment redis() {
		return SharedRedis.standalone();
	}

}
