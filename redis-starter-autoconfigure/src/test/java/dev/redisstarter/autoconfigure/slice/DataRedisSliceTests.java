package dev.redisstarter.autoconfigure.slice;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.ApplicationContext;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.messaging.pubsub.MessageBus;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Under {@code @DataRedisTest}, Spring Boot's Redis slice, the starter's beans exist and work. */
@DataRedisTest
@RealRedis
class DataRedisSliceTests {

	@SpringBootApplication
	static class SliceApplication {

	}

	@Autowired
	private ApplicationContext context;

	@Test
	void everyCapabilityIsInTheSlice() {
		for (Class<?> type : List.of(CacheService.class, SessionService.class, RateLimiter.class,
				DistributedLock.class, Leaderboards.class, MessageBus.class, StreamPublisher.class,
				JobQueue.class)) {
			assertThat(this.context.getBeanNamesForType(type)).as(type.getSimpleName()).hasSize(1);
		}
		RateLimiter limiter = this.context.getBean(RateLimiter.class);
		assertThat(limiter).isNotNull();
	}

}
