package dev.redisstarter.messaging.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterQueueAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterStreamsAutoConfiguration;

/** The starter's job queue and streams, as the producer and the workers of a fault schedule use them. */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
		RedisStarterRateLimitAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class,
		RedisStarterStreamsAutoConfiguration.class })
class ScheduleApplication {

	/** The queue and the stream every run uses; each run has a Redis of its own. */
	static final String QUEUE = "schedule-jobs";

	static final String STREAM = "schedule-entries";

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
