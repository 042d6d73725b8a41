package dev.redisstarter.ratelimit.web;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's example: an HTTP rule with policy {@code api} on {@code /api/**} and {@code @RateLimited(policy =
 * "api")} on a controller under it. One request consumes once per limit and key, not once per way the limit was
 * attached; and the rule filter runs before Spring Security's chain by default.
 */
@RealRedis
class RuleAndAnnotationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=rule-" + UUID.randomUUID() + ":",
				"redis.starter.ratelimit.http.enabled=true",
				"redis.starter.ratelimit.policies.api.algorithm=fixed-window", "redis.starter.ratelimit.policies.api.limit=3",
				"redis.starter.ratelimit.policies.api.window=1m",
				"redis.starter.ratelimit.http.rules[0].paths=/api/**",
				"redis.starter.ratelimit.http.rules[0].policy=api")
		.withUserConfiguration(OrdersWeb.class);

	@Test
	void aRequestLimitedByARuleAndTheAnnotationWithOnePolicyConsumesOnce() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(context.getBean(RateLimitFilter.class))
				.build();
			for (int i = 0; i < 3; i++) {
				mvc.perform(get("/api/orders")).andExpect(status().isOk());
			}
			mvc.perform(get("/api/orders")).andExpect(status().isTooManyRequests());
		});
	}

	@Test
	void aRateLimitedMethodCalledSeveralTimesInOneRequestConsumesEachTime() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(context.getBean(RateLimitFilter.class))
				.build();
			mvc.perform(get("/mail")).andExpect(status().isOk());
			mvc.perform(get("/mail")).andExpect(status().isTooManyRequests());
		});
	}

	@Test
	void theRuleFilterRunsBeforeSpringSecurityByDefaultAndItsOrderIsConfigurable() {
		this.runner.run((context) -> assertThat(context.getBean(RateLimitFilter.class).getOrder()).isLessThan(-100));
		this.runner.withPropertyValues("redis.starter.ratelimit.http.filter-order=0")
			.run((context) -> assertThat(context.getBean(RateLimitFilter.class).getOrder()).isZero());
	}

	static class Mailer {

		@RateLimited(limit = 3, window = "1h", key = "'global-mail'")
		public void send() {
		}

	}

	@RestController
	static class MailController {

		private final Mailer mailer;

		MailController(Mailer mailer) {
			this.mailer = mailer;
		}

		@GetMapping("/mail")
		public String mail() {
			this.mailer.send();
			this.mailer.send();
			return "sent";
		}

	}

	@RestController
	static class OrdersController {

		@GetMapping("/api/orders")
		@RateLimited(policy = "api")
		public String orders() {
			return "orders";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import({ OrdersController.class, MailController.class, Mailer.class })
	static class OrdersWeb {

	}

}
