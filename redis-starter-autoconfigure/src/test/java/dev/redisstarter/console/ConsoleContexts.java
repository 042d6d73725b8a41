package dev.redisstarter.console;

import java.util.UUID;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializerBeans;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.DefaultMockMvcBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.ConfigurableWebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.ConsoleAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterQueueAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterStreamsAutoConfiguration;
import dev.redisstarter.test.RedisDeployment;

/** Web application contexts with the console on, and MockMvc over them with the servlet filters the server would run. */
final class ConsoleContexts {

	/** The role the console requires by default. */
	static final String ROLE = "REDIS_STARTER_CONSOLE";

	private ConsoleContexts() {
	}

	static WebApplicationContextRunner runner(RedisDeployment redis) {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterRateLimitAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class,
					RedisStarterStreamsAutoConfiguration.class, ConsoleAutoConfiguration.class))
			.withUserConfiguration(Mvc.class)
			.withPropertyValues(redis.propertyValues())
			.withPropertyValues("redis.starter.key-prefix=console-" + UUID.randomUUID() + ":",
					"redis.starter.console.enabled=true", "redis.starter.queue.defaults.attempts=1",
					"redis.starter.queue.shutdown-wait=2s", "redis.starter.stream.shutdown-wait=2s",
					"redis.starter.stream.defaults.read-block=200ms", "redis.starter.stream.defaults.max-deliveries=1",
					"redis.starter.stream.defaults.backoff.initial=50ms");
	}

	/**
	 * MockMvc with the servlet filters of the context (Spring Security's and the console's), in their order.
	 * @param context the context
	 * @return MockMvc
	 */
	static MockMvc mvc(ConfigurableWebApplicationContext context) {
		DefaultMockMvcBuilder builder = MockMvcBuilders.webAppContextSetup(context);
		new ServletContextInitializerBeans(context.getBeanFactory()).forEach((initializer) -> {
			if (initializer instanceof DelegatingFilterProxyRegistrationBean security) {
				builder.addFilters(security.getFilter());
			}
			else if (initializer instanceof FilterRegistrationBean<?> registration
					&& registration.getFilter() instanceof ConsoleAccessFilter console) {
				builder.addFilter(console, registration.getUrlPatterns().toArray(String[]::new));
			}
		});
		return builder.build();
	}

	/** A request by a user with the console's role, without Spring Security's filters. */
	static RequestPostProcessor withRole() {
		return (request) -> {
			request.addUserRole(ROLE);
			return request;
		};
	}

	/** A request from the console's own page: same origin, with the required header. */
	static RequestPostProcessor fromThePage() {
		return (request) -> {
			request.addUserRole(ROLE);
			request.addHeader("X-Requested-With", "redis-starter-console");
			request.addHeader("Host", "localhost");
			request.addHeader("Origin", "http://localhost");
			request.addHeader("Sec-Fetch-Site", "same-origin");
			return request;
		};
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class Mvc {

	}

}
