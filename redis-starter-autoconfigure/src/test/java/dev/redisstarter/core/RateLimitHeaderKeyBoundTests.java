package dev.redisstarter.core;

import java.net.ServerSocket;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.ratelimit.web.RateLimitFilter;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * A rate-limit rule keyed by a header: its key ({@code header:} and the value) is bounded by
 * {@code redis.starter.max-key-part-length}, with Redis up and with Redis down (never let through, never logged).
 */
@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class RateLimitHeaderKeyBoundTests {

	private final String prefix = "rlh-" + UUID.randomUUID() + ":";

	private WebApplicationContextRunner runner(String... redis) {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class))
			.withPropertyValues(redis)
			.withPropertyValues("redis.starter.key-prefix=" + this.prefix, "redis.starter.max-key-part-length=64",
					"redis.starter.ratelimit.http.enabled=true", "redis.starter.ratelimit.policies.api.algorithm=fixed-window",
					"redis.starter.ratelimit.policies.api.limit=5", "redis.starter.ratelimit.policies.api.window=1m",
					"redis.starter.ratelimit.http.rules[0].paths=/api/**", "redis.starter.ratelimit.http.rules[0].policy=api",
					"redis.starter.ratelimit.http.rules[0].key=header:X-Api-Key")
			.withUserConfiguration(KeyPartBoundTests.Web.class);
	}

	private static MockMvc mvc(org.springframework.context.ApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup((org.springframework.web.context.WebApplicationContext) context)
			.addFilters(context.getBean(RateLimitFilter.class))
			.build();
	}

	/**
	 * The bound counts the rule's key as the limiter gets it, {@code header:} and the value, and never the escaping
	 * of braces (each brace is escaped to three characters so that a caller cannot pick the Cluster slot).
	 */
	@Test
	void aHeaderKeyIsBoundedByItsOwnLengthNotByItsEscapedLength() {
		this.runner(SharedRedis.standalone().propertyValues()).run((context) -> {
			MockMvc mvc = mvc(context);
			MvcResult within = mvc.perform(get("/api/things").header("X-Api-Key", "k".repeat(57))).andReturn();
			MvcResult braces = mvc.perform(get("/api/things").header("X-Api-Key", "}".repeat(30))).andReturn();
			MvcResult over = mvc.perform(get("/api/things").header("X-Api-Key", "k".repeat(58))).andReturn();
			assertThat(within.getResponse().getStatus()).as("header: and 57 characters, bound 64").isEqualTo(200);
			assertThat(braces.getResponse().getStatus()).as("header: and 30 braces, bound 64").isEqualTo(200);
			assertThat(over.getResponse().getStatus()).isEqualTo(413);
			assertThat(over.getResponse().getContentAsString()).contains("of 65 characters");
		});
	}

	/** Passes on 42f0c35: with Redis down (fail-open) an oversized header is still refused, never let through. */
	@Test
	void anOversizedHeaderIsRefusedWhileRedisIsDown(CapturedOutput output) throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		this.runner("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
				"redis.starter.resilience.probe-timeout=200ms").run((context) -> {
			MockMvc mvc = mvc(context);
			String oversized = "secret-part-" + "x".repeat(60);
			for (int i = 0; i < 3; i++) {
				MvcResult refused = mvc.perform(get("/api/things").header("X-Api-Key", oversized)).andReturn();
				assertThat(refused.getResponse().getStatus()).isEqualTo(413);
			}
			MvcResult allowed = mvc.perform(get("/api/things").header("X-Api-Key", "short")).andReturn();
			assertThat(allowed.getResponse().getStatus()).as("fail-open for a key within the bound").isEqualTo(200);
			assertThat(output.getAll()).doesNotContain("secret-part");
		});
	}

}
