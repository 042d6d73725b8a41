package dev.redisstarter.console;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import dev.redisstarter.autoconfigure.ConsoleAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the console is there: only when enabled, only in a servlet web application; its path and settings checked
 * at start-up with a message naming the property.
 */
@RealRedis
class ConsoleAutoConfigurationTests {

	@Test
	void theConsoleIsOffByDefault() {
		ConsoleContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.console.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleApi.class)
				.doesNotHaveBean("redisStarterConsoleRoutes"));
		ConsoleContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.console.enabled=")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void enabledItServesAtItsPathBehindTheAccessFilter() {
		ConsoleContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.console.path=/ops/redis/")
			.run((context) -> {
				assertThat(context).hasSingleBean(ConsoleApi.class).hasBean("redisStarterConsoleRoutes");
				FilterRegistrationBean<?> filter = context.getBean("redisStarterConsoleAccessFilter", FilterRegistrationBean.class);
				assertThat(filter.getUrlPatterns()).containsExactly("/ops/redis/*");
				assertThat(filter.getOrder()).as("after Spring Security's filter chain (-100)").isGreaterThan(-100);
				assertThat(ConsoleApiTests.json(ConsoleContexts.mvc(context),
						org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/ops/redis/api/overview")
							.with(ConsoleContexts.withRole()), 200).get("circuit").get("state").asString()).isEqualTo("closed");
			});
	}

	@Test
	void aMisspelledSwitchOrABadPathStopsStartUpNamingTheProperty() {
		ConsoleContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.console.enabled=flase")
			.run((context) -> assertThat(context).getFailure().rootCause()
				.hasMessageContaining("redis.starter.console.enabled").hasMessageContaining("flase"));
		ConsoleContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.console.path=/no-slash")
			.run((context) -> assertThat(context).getFailure().rootCause()
				.hasMessageContaining("redis.starter.console").hasMessageContaining("must start and end with '/'"));
		ConsoleContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.console.sample-size=0")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("sampleSize"));
		ConsoleContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.console.path=/")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("not the root"));
	}

	@Test
	void outsideAServletWebApplicationThereIsNoConsole() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					ConsoleAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.withPropertyValues("redis.starter.console.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleApi.class));
	}

}
