package dev.redisstarter.session;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/** The session contract over TLS, as a user with the README's ACL rule for the suite's key prefix only. */
class SecuredSessionTests extends SessionContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.contractUser();
	}

}
