package dev.redisstarter.autoconfigure;

import java.security.Principal;
import java.util.UUID;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Spring Security on the bridge: {@code @EnableSpringHttpSession} with the auto-configured repository, form login,
 * session fixation protection, and concurrent session control through {@link SpringSessionBackedSessionRegistry}
 * with {@code maximumSessions(1)}, both ways: the older session expired, or the newer login refused.
 */
@RealRedis
class SpringSessionBridgeSecurityTests {

	private static final String TOKEN = "X-Auth-Token";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterSessionAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=sec-" + UUID.randomUUID() + ":",
				"redis.starter.session.spring-session.enabled=true")
		.withUserConfiguration(TestApp.class);

	@Test
	void aSecondLoginExpiresTheFirstSessionWhenMaximumSessionsIsOne() {
		this.runner.withUserConfiguration(SessionSecurityConfig.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SpringSessionBridge.class);
			MockMvc mvc = mvc(context);
			String first = login(mvc);
			assertThat(me(mvc, first)).isEqualTo("ann");
			String second = login(mvc);
			assertThat(second).isNotEqualTo(first);
			assertThat(me(mvc, first)).contains("This session has been expired").doesNotContain("ann");
			assertThat(me(mvc, second)).isEqualTo("ann");
			assertThat(sessions(context).findByPrincipalName("ann")).containsOnlyKeys(second);
		});
	}

	@Test
	void aSecondLoginIsRefusedWhenMaximumSessionsIsOneAndPreventsLogin() {
		this.runner.withUserConfiguration(RefusingSecurityConfig.class).run((context) -> {
			MockMvc mvc = mvc(context);
			String first = login(mvc);
			MvcResult refused = postLogin(mvc);
			assertThat(refused.getResponse().getRedirectedUrl()).contains("error");
			assertThat(me(mvc, first)).isEqualTo("ann");
			assertThat(sessions(context).findByPrincipalName("ann")).containsOnlyKeys(first);
		});
	}

	@Test
	void loginGivesTheAnonymousSessionANewIdAndLogoutEndsIt() {
		this.runner.withUserConfiguration(SessionSecurityConfig.class).run((context) -> {
			MockMvc mvc = mvc(context);
			String[] page = form(mvc, "/login", null);
			String anonymous = page[0];
			assertThat(sessions(context).findById(anonymous)).isNotNull();
			assertThat(sessions(context).findById(anonymous).getStoredPrincipal()).isEmpty();
			MvcResult result = mvc.perform(post("/login").header(TOKEN, anonymous).param("_csrf", page[1])
					.param("username", "ann").param("password", "secret"))
				.andExpect(status().is3xxRedirection())
				.andReturn();
			assertThat(result.getResponse().getRedirectedUrl()).doesNotContain("error");
			String loggedIn = result.getResponse().getHeader(TOKEN);
			// Against session fixation: the id the client held before login no longer works.
			assertThat(loggedIn).isNotNull().isNotEqualTo(anonymous);
			assertThat(sessions(context).findById(anonymous)).isNull();
			assertThat(me(mvc, loggedIn)).isEqualTo("ann");
			String csrf = form(mvc, "/logout", loggedIn)[1];
			mvc.perform(post("/logout").header(TOKEN, loggedIn).param("_csrf", csrf))
				.andExpect(status().is3xxRedirection());
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

	/** Opens a form page: the session it runs in and the CSRF token of its form. */
	private static String[] form(MockMvc mvc, String path, @Nullable String session) throws Exception {
		MockHttpServletRequestBuilder request = get(path);
		if (session != null) {
			request.header(TOKEN, session);
		}
		MvcResult page = mvc.perform(request).andExpect(status().isOk()).andReturn();
		Matcher csrf = CSRF.matcher(page.getResponse().getContentAsString());
		assertThat(csrf.find()).as("a CSRF field on " + path).isTrue();
		String id = (session != null) ? session : page.getResponse().getHeader(TOKEN);
		assertThat(id).isNotNull();
		return new String[] { id, csrf.group(1) };
	}

	private static MvcResult postLogin(MockMvc mvc) throws Exception {
		String[] page = form(mvc, "/login", null);
		return mvc.perform(post("/login").header(TOKEN, page[0]).param("_csrf", page[1]).param("username", "ann")
				.param("password", "secret"))
			.andExpect(status().is3xxRedirection())
			.andReturn();
	}

	private static String login(MockMvc mvc) throws Exception {
		MvcResult result = postLogin(mvc);
		assertThat(result.getResponse().getRedirectedUrl()).doesNotContain("error");
		String token = result.getResponse().getHeader(TOKEN);
		assertThat(token).isNotNull();
		return token;
	}

	private static String me(MockMvc mvc, String token) throws Exception {
		return mvc.perform(get("/me").header(TOKEN, token)).andReturn().getResponse().getContentAsString();
	}

	// tag::spring-session[]
	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@EnableSpringHttpSession // on the starter's repository: redis.starter.session.spring-session.enabled=true
	static class SessionSecurityConfig {

		@Bean
		SpringSessionBackedSessionRegistry<BridgedSession> sessionRegistry(
				FindByIndexNameSessionRepository<BridgedSession> sessions) {
			return new SpringSessionBackedSessionRegistry<>(sessions);
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, SessionRegistry sessionRegistry) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.sessionManagement((sessions) -> sessions
					.maximumSessions(1) // a second login of the same user expires the first session
					.maxSessionsPreventsLogin(false) // true: the second login is refused instead
					.sessionRegistry(sessionRegistry))
				.build();
		}

	}
	// end::spring-session[]

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@EnableSpringHttpSession
	static class RefusingSecurityConfig {

		@Bean
		SpringSessionBackedSessionRegistry<BridgedSession> sessionRegistry(
				FindByIndexNameSessionRepository<BridgedSession> sessions) {
			return new SpringSessionBackedSessionRegistry<>(sessions);
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, SessionRegistry sessionRegistry) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.sessionManagement((sessions) -> sessions.maximumSessions(1)
					.maxSessionsPreventsLogin(true)
					.sessionRegistry(sessionRegistry))
				.build();
		}

	}

	/** What the test needs around the configuration: MVC, a user, a page, and the session id in a header. */
	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class TestApp {

		@Bean
		HttpSessionIdResolver httpSessionIdResolver() {
			return HeaderHttpSessionIdResolver.xAuthToken();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(User.withUsername("ann").password("{noop}secret").roles("USER").build());
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
