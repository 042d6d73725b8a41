package dev.redisstarter.lock.web;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterLockAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.lock.LockNotAcquiredException;
import dev.redisstarter.lock.LockUnavailableException;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@RealRedis
class LockExceptionHandlerTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterLockAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=lkweb-" + UUID.randomUUID() + ":")
		.withUserConfiguration(OrdersWeb.class);

	@Test
	void answers409WithRetryAfterWhenTheLockIsHeldElsewhere() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(post("/orders/o-1/ship"))
				.andExpect(status().isConflict())
				.andExpect(header().string("Retry-After", "1"))
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(409))
				.andExpect(jsonPath("$.detail").value(containsString("order:o-1")))
				.andExpect(jsonPath("$.lock").value("order:o-1"))
				.andExpect(jsonPath("$.instance").value("/orders/o-1/ship"));
		});
	}

	@Test
	void answers503WithRetryAfterWhenRedisIsUnavailable() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(post("/orders/o-2/cancel"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "5"))
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(503))
				.andExpect(jsonPath("$.detail").value("Locks are unavailable; retry later."));
		});
	}

	@Test
	void answersBeforeAnApplicationsCatchAllHandler() {
		this.runner.withUserConfiguration(CatchAll.class).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(post("/orders/o-3/ship")).andExpect(status().isConflict());
		});
	}

	@Test
	void givesWayToTheApplicationsOwnHandler() {
		this.runner.withUserConfiguration(OwnHandler.class).run((context) -> {
			assertThat(context).hasSingleBean(LockExceptionHandler.class);
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(post("/orders/o-4/ship"))
				.andExpect(status().isConflict())
				.andExpect(header().string("Retry-After", "30"));
		});
	}

	@Test
	void isAbsentOutsideAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LockExceptionHandler.class));
	}

	@RestController
	static class OrdersController {

		@PostMapping("/orders/{id}/ship")
		void ship(@PathVariable String id) {
			throw new LockNotAcquiredException("order:" + id, Duration.ofSeconds(2));
		}

		@PostMapping("/orders/{id}/cancel")
		void cancel(@PathVariable String id) {
			throw new LockUnavailableException("order:" + id, new RedisConnectionFailureException("Connection refused"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(OrdersController.class)
	static class OrdersWeb {

	}

	@RestControllerAdvice
	static class CatchAllAdvice {

		@ExceptionHandler(Exception.class)
		@ResponseStatus(HttpStatus.INTERNAL_SERVER_ERROR)
		String failed(Exception ex) {
			return "failed";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(CatchAllAdvice.class)
	static class CatchAll {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHandler {

		@Bean
		LockExceptionHandler ownLockExceptionHandler() {
			return new LockExceptionHandler(Duration.ofSeconds(30), Duration.ofSeconds(60));
		}

	}

}
