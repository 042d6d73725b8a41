package dev.redisstarter.ratelimit.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializerBeans;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterRateLimitAutoConfiguration;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * With Spring Security's form login on the classpath, a rule on {@code POST /login} limits brute force on
 * Security's own login handling: the rule filter is registered before Security's filter chain, so a rejected
 * attempt never reaches the authentication.
 */
@RealRedis
class SecurityLoginRateLimitTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterRateLimitAutoConfiguration.class, SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=sec-" + UUID.randomUUID() + ":",
				"spring.security.user.name=ada", "spring.security.user.password=right",
				"redis.starter.ratelimit.policies.login.algorithm=fixed-window",
				"redis.starter.ratelimit.policies.login.limit=3", "redis.starter.ratelimit.policies.login.window=1m",
				"redis.starter.ratelimit.http.rules[0].paths=/login", "redis.starter.ratelimit.http.rules[0].methods=POST",
				"redis.starter.ratelimit.http.rules[0].policy=login")
		.withUserConfiguration(FormLogin.class);

	@Test
	void aRuleOnTheLoginRunsBeforeSpringSecurityAndStopsBruteForce() {
		this.runner.run((context) -> {
			// The servlet filters in the order the container would run them.
			List<Filter> filters = new ArrayList<>();
			List<String> names = new ArrayList<>();
			new ServletContextInitializerBeans(context.getBeanFactory()).forEach((initializer) -> {
				if (initializer instanceof DelegatingFilterProxyRegistrationBean security) {
					filters.add(security.getFilter());
					names.add("security");
				}
				else if (initializer instanceof FilterRegistrationBean<?> registration
						&& registration.getFilter() instanceof RateLimitFilter rateLimit) {
					filters.add(rateLimit);
					names.add("rate-limit");
				}
			});
			assertThat(names).containsExactly("rate-limit", "security");

			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).addFilters(filters.toArray(Filter[]::new)).build();
			for (int i = 0; i < 3; i++) {
				mvc.perform(post("/login").param("username", "ada").param("password", "guess-" + i))
					.andExpect(status().is3xxRedirection());
			}
			mvc.perform(post("/login").param("username", "ada").param("password", "right"))
				.andExpect(status().isTooManyRequests());
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class FormLogin {

		@Bean
		SecurityFilterChain formLogin(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

	}

}
