package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterCacheAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterLockAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.cache.CacheService;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.ratelimit.RateLimitPolicies;
import dev.redisstarter.ratelimit.web.RateLimitFilter;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * A key part taken from a caller (a cache key or tag, a lock name, a rate-limit key) longer than
 * {@code redis.starter.max-key-part-length} is refused before anything reaches Redis, with a message that gives its
 * length and the property, never the part itself.
 */
@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class KeyPartBoundTests {

	private final String prefix = "kpb-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class,
				RedisStarterLockAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=" + this.prefix, "redis.starter.max-key-part-length=64",
				"redis.starter.ratelimit.policies.api.algorithm=fixed-window", "redis.starter.ratelimit.policies.api.limit=5",
				"redis.starter.ratelimit.policies.api.window=1m");

	private static final String OVERSIZED = "secret-part-" + "x".repeat(60);

	@Test
	void aCacheKeyOverTheBoundIsRefusedBeforeTheLoaderRunsAndNothingIsWritten(CapturedOutput output) {
		this.runner.run((context) -> {
			CacheService cache = context.getBean(CacheService.class);
			AtomicInteger loads = new AtomicInteger();
			InputLimitExceededException refused = catchThrowableOfType(InputLimitExceededException.class,
					() -> cache.getOrLoad("products:" + OVERSIZED, String.class, Duration.ofMinutes(1), () -> {
						loads.incrementAndGet();
						return "value";
					}));
			assertRefusal(refused, "cache");
			assertThat(loads).hasValue(0);
			assertThat(cache.getOrLoad("products:short", String.class, Duration.ofMinutes(1), () -> "value"))
				.isEqualTo("value");
			assertNothingWrittenFor(context, output);
		});
	}

	@Test
	void aCacheTagOverTheBoundIsRefusedOnWriteAndOnInvalidation(CapturedOutput output) {
		this.runner.run((context) -> {
			CacheService cache = context.getBean(CacheService.class);
			assertRefusal(catchThrowableOfType(InputLimitExceededException.class,
					() -> cache.set("products:1", "value", Duration.ofMinutes(1), OVERSIZED)), "cache");
			assertRefusal(catchThrowableOfType(InputLimitExceededException.class,
					() -> cache.invalidateTags(OVERSIZED)), "cache");
			assertThat(cache.get("products:1", String.class)).isEmpty();
			assertNothingWrittenFor(context, output);
		});
	}

	@Test
	void aLockNameOverTheBoundIsRefusedAndNothingIsWritten(CapturedOutput output) {
		this.runner.run((context) -> {
			DistributedLock lock = context.getBean(DistributedLock.class);
			assertRefusal(catchThrowableOfType(InputLimitExceededException.class,
					() -> lock.tryAcquire(OVERSIZED, Duration.ZERO)), "lock");
			assertThat(lock.tryAcquire("short", Duration.ZERO)).hasValueSatisfying((lease) -> lease.close());
			assertNothingWrittenFor(context, output);
		});
	}

	@Test
	void aRateLimitKeyOverTheBoundIsRefusedNeitherAllowedNorCounted(CapturedOutput output) {
		this.runner.run((context) -> {
			RateLimiter limiter = context.getBean(RateLimiter.class);
			RateLimitPolicies policies = context.getBean(RateLimitPolicies.class);
			assertRefusal(catchThrowableOfType(InputLimitExceededException.class,
					() -> limiter.tryAcquire(OVERSIZED, policies.get("api"), 1)), "ratelimit");
			assertThat(limiter.tryAcquire("short", policies.get("api"), 1).allowed()).isTrue();
			assertNothingWrittenFor(context, output);
		});
	}

	@Test
	void aRuleKeyedByAnOversizedHeaderAnswers413AndIsNotLetThroughUnlimited(CapturedOutput output) {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.withPropertyValues("redis.starter.key-prefix=" + this.prefix, "redis.starter.max-key-part-length=64",
					"redis.starter.ratelimit.http.enabled=true", "redis.starter.ratelimit.policies.api.algorithm=fixed-window",
					"redis.starter.ratelimit.policies.api.limit=5",
					"redis.starter.ratelimit.policies.api.window=1m", "redis.starter.ratelimit.http.rules[0].paths=/api/**",
					"redis.starter.ratelimit.http.rules[0].policy=api",
					"redis.starter.ratelimit.http.rules[0].key=header:X-Api-Key")
			.withUserConfiguration(Web.class)
			.run((context) -> {
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
					.addFilters(context.getBean(RateLimitFilter.class))
					.build();
				MvcResult refused = mvc.perform(get("/api/things").header("X-Api-Key", OVERSIZED)).andReturn();
				assertThat(refused.getResponse().getStatus()).isEqualTo(413);
				assertThat(refused.getResponse().getContentType()).startsWith("application/problem+json");
				assertThat(refused.getResponse().getContentAsString()).doesNotContain("secret-part")
					.contains("\"property\":\"redis.starter.max-key-part-length\"")
					.contains("\"size\":");
				assertThat(mvc.perform(get("/api/things").header("X-Api-Key", "short")).andReturn()
					.getResponse().getStatus()).isEqualTo(200);
				assertNothingWrittenFor(context, output);
			});
	}

	private static void assertRefusal(InputLimitExceededException refused, String feature) {
		assertThat(refused).isNotNull();
		assertThat(refused.getMessage()).startsWith("A " + feature + " key part of ")
			.contains("over the limit of 64 characters (redis.starter.max-key-part-length)")
			.doesNotContain("secret-part");
		assertThat(refused.getProperty()).isEqualTo("redis.starter.max-key-part-length");
	}

	private void assertNothingWrittenFor(ConfigurableApplicationContext context, CapturedOutput output) {
		StringRedisTemplate redis = new StringRedisTemplate(
				context.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class));
		List<String> found = new java.util.ArrayList<>();
		try (var cursor = redis.scan(ScanOptions.scanOptions().match(this.prefix + "*secret-part*").count(1000).build())) {
			cursor.forEachRemaining(found::add);
		}
		assertThat(found).isEmpty();
		assertThat(output.getAll()).doesNotContain("secret-part");
	}

	@RestController
	static class ThingsController {

		@GetMapping("/api/things")
		String things() {
			return "things";
		}

	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@org.springframework.context.annotation.Import(ThingsController.class)
	static class Web {

	}

}
