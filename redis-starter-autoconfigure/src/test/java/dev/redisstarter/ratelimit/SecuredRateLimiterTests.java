package dev.redisstarter.ratelimit;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/** The ratelimit contract over TLS, as a user with the README's ACL rule for the suite's key prefix only. */
class SecuredRateLimiterTests extends RateLimiterContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.contractUser();
	}

}
