package dev.redisstarter.cache.web;

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
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterCacheAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.cache.CacheUnavailableException;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@RealRedis
class CacheExceptionHandlerTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=cweb-" + UUID.randomUUID() + ":")
		.withUserConfiguration(ProductsWeb.class);

	@Test
	void answers503WithRetryAfterWhenTheCacheCannotReachRedis() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/products/7"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "5"))
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(503))
				.andExpect(jsonPath("$.detail").value("The cache is unavailable; retry later."))
				.andExpect(content().string(not(containsString("product:7"))));
		});
	}

	@Test
	void givesWayToTheApplicationsOwnHandler() {
		this.runner.withUserConfiguration(OwnHandler.class).run((context) -> {
			assertThat(context).hasSingleBean(CacheExceptionHandler.class);
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/products/8"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "30"));
		});
	}

	@Test
	void isAbsentOutsideAServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CacheExceptionHandler.class));
	}

	@RestController
	static class ProductsController {

		@GetMapping("/products/{id}")
		String product(@PathVariable String id) {
			throw new CacheUnavailableException("product:" + id, new RedisConnectionFailureException("Connection refused"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(ProductsController.class)
	static class ProductsWeb {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHandler {

		@Bean
		CacheExceptionHandler ownCacheExceptionHandler() {
			return new CacheExceptionHandler(Duration.ofSeconds(30));
		}

	}

}
