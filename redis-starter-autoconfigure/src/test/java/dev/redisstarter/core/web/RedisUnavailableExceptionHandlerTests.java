package dev.redisstarter.core.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@RealRedis
class RedisUnavailableExceptionHandlerTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withUserConfiguration(FailingWeb.class);

	@Test
	void answers503WithRetryAfterWhenRedisCannotBeReached() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/refused"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "5"))
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(503))
				.andExpect(jsonPath("$.detail").value("Redis is unavailable; retry later."));
		});
	}

	@Test
	void answers503WithRetryAfterWhenACommandTimesOut() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/timed-out"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "5"))
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(503));
		});
	}

	@Test
	void leavesAnotherDataStoresQueryTimeoutToTheApplication() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			assertThatThrownBy(() -> mvc.perform(get("/query-timed-out")))
				.as("not answered by the starter: it reaches the container (Boot's error page answers 500)")
				.hasRootCauseInstanceOf(java.sql.SQLTimeoutException.class);
		});
	}

	@Test
	void answers500WithoutDetailsWhenRedisRefusesAPermission() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/not-permitted"))
				.andExpect(status().isInternalServerError())
				.andExpect(header().doesNotExist("Retry-After"))
				.andExpect(jsonPath("$.status").value(500))
				.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(
						org.hamcrest.Matchers.containsString("shop:"))));
		});
	}

	@Test
	void answersAfterTheApplicationsOwnAdvice() {
		this.runner.withUserConfiguration(OwnAdvice.class).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/refused")).andExpect(status().isBadGateway());
			mvc.perform(get("/timed-out")).andExpect(status().isBadGateway());
		});
	}

	@Test
	void givesWayToTheApplicationsOwnHandler() {
		this.runner.withUserConfiguration(OwnHandler.class).run((context) -> {
			assertThat(context).hasSingleBean(RedisUnavailableExceptionHandler.class);
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/refused")).andExpect(header().string("Retry-After", "30"));
		});
	}

	@Test
	void isAbsentOutsideAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisUnavailableExceptionHandler.class));
	}

	@RestController
	static class FailingController {

		@GetMapping("/refused")
		String refused() {
			throw new RedisConnectionFailureException("Unable to connect to localhost:1");
		}

		@GetMapping("/timed-out")
		String timedOut() {
			// How Spring Data Redis translates a Lettuce command timeout.
			throw new QueryTimeoutException("Redis command timed out",
					new io.lettuce.core.RedisCommandTimeoutException("Command timed out after 500 ms"));
		}

		@GetMapping("/query-timed-out")
		String queryTimedOut() {
			// How Spring's JDBC support reports a query that ran past its timeout: not Redis's business.
			throw new QueryTimeoutException("PreparedStatementCallback; SQL [select 1]; query timed out",
					new java.sql.SQLTimeoutException("query timed out"));
		}

		@GetMapping("/not-permitted")
		String notPermitted() {
			throw new dev.redisstarter.core.RedisPermissionException(dev.redisstarter.core.Feature.CACHE, "evalsha",
					"Redis refused the starter's cache call (EVALSHA): NOPERM ... key prefix 'shop:'",
					new IllegalStateException("NOPERM"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(FailingController.class)
	static class FailingWeb {

	}

	/** An application's catch-all advice without an order: it answers before the fallback. */
	@RestControllerAdvice
	static class CatchAllAdvice {

		@ExceptionHandler(Exception.class)
		@ResponseStatus(HttpStatus.BAD_GATEWAY)
		String failed(Exception ex) {
			return "failed";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(CatchAllAdvice.class)
	static class OwnAdvice {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHandler {

		@Bean
		RedisUnavailableExceptionHandler ownRedisUnavailableExceptionHandler() {
			return new RedisUnavailableExceptionHandler(Duration.ofSeconds(30));
		}

	}

}
