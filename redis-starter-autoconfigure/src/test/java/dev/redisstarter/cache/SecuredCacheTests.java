package dev.redisstarter.cache;

import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.RedisDeployment;

/** The cache contract over TLS, as a user with the README's ACL rule for the suite's key prefix only. */
class SecuredCacheTests extends CacheContractTests {

	@Override
	RedisDeployment deployment() {
		return SecuredRedis.contractUser();
	}

}
