package dev.redisstarter.leaderboard.web;

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
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterLeaderboardAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.leaderboard.LeaderboardUnavailableException;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@RealRedis
class LeaderboardExceptionHandlerTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterLeaderboardAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=lbweb-" + UUID.randomUUID() + ":")
		.withUserConfiguration(BoardsWeb.class);

	@Test
	void answers503WithRetryAfterWithoutNamingTheBoardWhenRedisIsUnavailable() {
		// The board's name may be the caller's: like every capability's 503, the problem does not echo it.
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/boards/global/top"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "5"))
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(503))
				.andExpect(jsonPath("$.detail").value("Leaderboards are unavailable; retry later."))
				.andExpect(jsonPath("$.board").doesNotExist());
		});
	}

	@Test
	void givesWayToTheApplicationsOwnHandler() {
		this.runner.withUserConfiguration(OwnHandler.class).run((context) -> {
			assertThat(context).hasSingleBean(LeaderboardExceptionHandler.class);
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/boards/weekly/top"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "30"));
		});
	}

	@Test
	void isAbsentOutsideAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterLeaderboardAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LeaderboardExceptionHandler.class));
	}

	@RestController
	static class BoardsController {

		@GetMapping("/boards/{board}/top")
		String top(@PathVariable String board) {
			throw new LeaderboardUnavailableException(board, new QueryTimeoutException("Command timed out"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(BoardsController.class)
	static class BoardsWeb {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHandler {

		@Bean
		LeaderboardExceptionHandler ownLeaderboardExceptionHandler() {
			return new LeaderboardExceptionHandler(Duration.ofSeconds(30));
		}

	}

}
