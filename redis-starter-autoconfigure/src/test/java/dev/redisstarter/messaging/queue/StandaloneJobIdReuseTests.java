package dev.redisstarter.messaging.queue;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

/** {@link JobIdReuseTests} on a single server. */
@RealRedis
class StandaloneJobIdReuseTests extends JobIdReuseTests {

	@Override
	RedisDeployment redis() {
		return SharedRedis.standalone();
	}

}
