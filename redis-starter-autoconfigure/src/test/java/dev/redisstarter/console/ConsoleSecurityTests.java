package dev.redisstarter.console;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * With Spring Security: the console answers 403 to a signed-in user without the role and serves one with it; a
 * write needs Spring Security's CSRF token (which the overview hands to the page) on top of the console's own
 * header check.
 */
@RealRedis
class ConsoleSecurityTests {

	@Test
	void aUserWithoutTheRoleGets403AndAWriteNeedsSpringSecuritysCsrfToken() {
		ConsoleContexts.runner(SharedRedis.standalone())
			.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
					ServletWebSecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class))
			.withUserConfiguration(BasicLogin.class)
			.withPropertyValues("redis.starter.console.write-enabled=true")
			.run((context) -> {
				MockMvc mvc = ConsoleContexts.mvc(context);
				assertThat(mvc.perform(get("/redis-starter/api/overview")).andReturn().getResponse().getStatus())
					.as("not signed in").isEqualTo(401);
				assertThat(ConsoleApiTests.json(mvc, get("/redis-starter/api/overview").with(httpBasic("ada", "pw")), 403)
					.get("error").asString()).isEqualTo("The console needs the role REDIS_STARTER_CONSOLE");
				assertThat(mvc.perform(get("/redis-starter/").with(httpBasic("ada", "pw"))).andReturn().getResponse()
					.getStatus()).isEqualTo(403);

				MockHttpSession session = new MockHttpSession();
				JsonNode overview = ConsoleApiTests.json(mvc,
						get("/redis-starter/api/overview").with(httpBasic("ops", "pw")).session(session), 200);
				String headerName = overview.get("csrf").get("headerName").asString();
				String token = overview.get("csrf").get("token").asString();
				assertThat(token).isNotBlank();

				String retry = "/redis-starter/api/queues/q-" + UUID.randomUUID() + "/jobs/1/retry";
				MvcResult withoutToken = mvc.perform(post(retry).with(httpBasic("ops", "pw")).session(session)
					.header("X-Requested-With", "redis-starter-console")).andReturn();
				assertThat(withoutToken.getResponse().getStatus()).isEqualTo(403);
				assertThat(withoutToken.getResponse().getContentAsString()).as("refused by Spring Security, before the console")
					.doesNotContain("\"error\"");
				// Through both checks: no such dead job.
				ConsoleApiTests.json(mvc, post(retry).with(httpBasic("ops", "pw")).session(session)
					.header("X-Requested-With", "redis-starter-console").header(headerName, token), 404);
			});
	}

	/** HTTP basic credentials (Spring Security's test module is not a dependency). */
	private static RequestPostProcessor httpBasic(String user, String password) {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return (request) -> {
			request.addHeader("Authorization", "Basic " + credentials);
			return request;
		};
	}

	@Configuration(proxyBeanMethods = false)
	static class BasicLogin {

		@Bean
		SecurityFilterChain basicLogin(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("ada").password("{noop}pw").roles("USER").build(),
					User.withUsername("ops").password("{noop}pw").roles(ConsoleContexts.ROLE).build());
		}

	}

}
