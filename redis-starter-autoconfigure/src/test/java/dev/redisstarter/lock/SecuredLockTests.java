package dev.redisstarter.lock;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/** The lock contract over TLS, as a user with the README's ACL rule for the suite's key prefix only. */
class SecuredLockTests extends LockContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.contractUser();
	}

}
