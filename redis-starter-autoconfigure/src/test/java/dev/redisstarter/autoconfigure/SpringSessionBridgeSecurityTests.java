package dev.redisstarter.autoconfigure;

import java.security.Principal;
import java.util.UUID;

import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;
import org.springframework.session.web.http.HeaderHttpSessionIdResolver;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.session.BridgedSession;
import dev.redisstarter.session.SpringSessionBridge;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Spring Security on the bridge: {@code @EnableSpringHttpSession} with the auto-configured repository, form login,
 * session fixation protection, and concurrent session control through {@link SpringSessionBackedSessionRegistry}
 * with {@code maximumSessions(1)}, both ways: the older session expired, or the newer login refused.
 */
@RealRedis
class SpringSessionBridgeSecurityTests {

	private static final String TOKEN = "X-Auth-Token";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterSessionAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=sec-" + UUID.randomUUID() + ":",
				"redis.starter.session.spring-session.enabled=true")
		.withUserConfiguration(SecuredApp.class);

	@Test
	void aSecondLoginExpiresTheFirstSessionWhenMaximumSessionsIsOne() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SpringSessionBridge.class);
			MockMvc mvc = mvc(context);
			String first = login(mvc);
			assertThat(me(mvc, first).getResponse().getContentAsString()).isEqualTo("ann");
			String second = login(mvc);
			assertThat(second).isNotEqualTo(first);
			MvcResult expired = me(mvc, first);
			assertThat(expired.getResponse().getContentAsString()).contains("This session has been expired")
				.doesNotContain("ann");
			assertThat(me(mvc, second).getResponse().getContentAsString()).isEqualTo("ann");
			assertThat(sessions(context).findByPrincipalName("ann")).containsOnlyKeys(second);
		});
	}

	@Test
	void aSecondLoginIsRefusedWhenMaximumSessionsIsOneAndPreventsLogin() {
		this.runner.withPropertyValues("test.prevent-login=true").run((context) -> {
			MockMvc mvc = mvc(context);
			String first = login(mvc);
			mvc.perform(post("/login").param("username", "ann").param("password", "secret"))
				.andExpect(status().is3xxRedirection())
				.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl()).contains("error"));
			assertThat(me(mvc, first).getResponse().getContentAsString()).isEqualTo("ann");
			assertThat(sessions(context).findByPrincipalName("ann")).containsOnlyKeys(first);
		});
	}

	@Test
	void loginRotatesTheAnonymousSessionsIdAndLogoutEndsTheSession() {
		this.runner.run((context) -> {
			MockMvc mvc = mvc(context);
			// An anonymous visit to a protected page opens a session (the saved request).
			String anonymous = mvc.perform(get("/me")).andExpect(status().is3xxRedirection()).andReturn().getResponse()
				.getHeader(TOKEN);
			assertThat(anonymous).isNotNull();
			assertThat(sessions(context).findById(anonymous)).isNotNull();
			String loggedIn = mvc.perform(post("/login").header(TOKEN, anonymous).param("username", "ann")
					.param("password", "secret"))
				.andExpect(status().is3xxRedirection())
				.andReturn().getResponse().getHeader(TOKEN);
			assertThat(loggedIn).isNotNull().isNotEqualTo(anonymous);
			assertThat(sessions(context).findById(anonymous)).isNull();
			assertThat(me(mvc, loggedIn).getResponse().getContentAsString()).isEqualTo("ann");
			mvc.perform(post("/logout").header(TOKEN, loggedIn)).andExpect(status().is3xxRedirection());
			assertThat(sessions(context).findById(loggedIn)).isNull();
			assertThat(sessions(context).findByPrincipalName("ann")).isEmpty();
		});
	}

	@SuppressWarnings("unchecked")
	private static FindByIndexNameSessionRepository<BridgedSession> sessions(WebApplicationContext context) {
		return context.getBean(FindByIndexNameSessionRepository.class);
	}

	private static MockMvc mvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context)
			.addFilters(context.getBean("springSessionRepositoryFilter", Filter.class),
					context.getBean("springSecurityFilterChain", Filter.class))
			.build();
	}

	private static String login(MockMvc mvc) throws Exception {
		MvcResult result = mvc.perform(post("/login").param("username", "ann").param("password", "secret"))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		assertThat(result.getResponse().getRedirectedUrl()).doesNotContain("error");
		String token = result.getResponse().getHeader(TOKEN);
		assertThat(token).isNotNull();
		return token;
	}

	private static MvcResult me(MockMvc mvc, String token) throws Exception {
		return mvc.perform(get("/me").header(TOKEN, token)).andReturn();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@EnableWebSecurity
	@EnableSpringHttpSession
	static class SecuredApp {

		@Bean
		HttpSessionIdResolver httpSessionIdResolver() {
			return HeaderHttpSessionIdResolver.xAuthToken();
		}

		@Bean
		SpringSessionBackedSessionRegistry<BridgedSession> sessionRegistry(
				FindByIndexNameSessionRepository<BridgedSession> sessions) {
			return new SpringSessionBackedSessionRegistry<>(sessions);
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(User.withUsername("ann").password("{noop}secret").roles("USER").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, SessionRegistry registry, Environment environment)
				throws Exception {
			boolean preventLogin = environment.getProperty("test.prevent-login", Boolean.class, false);
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.sessionManagement((sessions) -> sessions.maximumSessions(1)
					.maxSessionsPreventsLogin(preventLogin)
					.sessionRegistry(registry));
			return http.build();
		}

		@Bean
		Me me() {
			return new Me();
		}

	}

	@RestController
	static class Me {

		@GetMapping("/me")
		String me(Principal principal) {
			return principal.getName();
		}

	}

}
