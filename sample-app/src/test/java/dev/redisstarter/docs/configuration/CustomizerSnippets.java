package dev.redisstarter.docs.configuration;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.redisstarter.autoconfigure.CacheSettingsCustomizer;
import dev.redisstarter.autoconfigure.LockSettingsCustomizer;
import dev.redisstarter.autoconfigure.QueueSettingsCustomizer;
import dev.redisstarter.autoconfigure.RateLimitPoliciesCustomizer;
import dev.redisstarter.autoconfigure.StreamSettingsCustomizer;
import dev.redisstarter.messaging.RetryBackoff;
import dev.redisstarter.ratelimit.RateLimit;

/** An application's own settings, as the snippet's login policy reads them. */
record LoginSettings(long attemptsPerMinute) {
}

// tag::customizers[]
@Configuration(proxyBeanMethods = false)
class RedisStarterCustomizations {

    @Bean // caches: spread every entry's expiry by ±20 % (the configured caches keep their own policies)
    CacheSettingsCustomizer cacheJitter() {
        return (settings) -> settings.withDefaults(settings.defaults().withTtlJitter(0.2));
    }

    @Bean // rate limits: a policy computed in code, beside those under redis.starter.ratelimit.policies
    RateLimitPoliciesCustomizer loginPolicy(LoginSettings login) {
        return (policies) -> policies.with("login", RateLimit.slidingWindow(login.attemptsPerMinute(), Duration.ofMinutes(1)));
    }

    @Bean // locks: a longer default lease
    LockSettingsCustomizer longLeases() {
        return (settings) -> settings.withDefaultLease(Duration.ofMinutes(2));
    }

    @Bean // streams: orders are dead-lettered after 3 deliveries
    StreamSettingsCustomizer orderDeliveries() {
        return (settings) -> settings.withNamed("orders", settings.apply("orders").withMaxDeliveries(3));
    }

    @Bean // queues: every queue gets 5 attempts, the emails queue a fixed 30 s between them
    @Order(1)
    QueueSettingsCustomizer queueRetries() {
        return (settings) -> settings.withDefaults(settings.defaults().withAttempts(5))
            .withNamed("emails", settings.of("emails").withBackoff(RetryBackoff.fixed(Duration.ofSeconds(30))));
    }

}
// end::customizers[]
