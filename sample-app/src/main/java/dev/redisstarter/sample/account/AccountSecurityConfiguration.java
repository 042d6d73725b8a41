package dev.redisstarter.sample.account;

import org.springframework.beans.factory.annotation.Value;
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
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

import dev.redisstarter.session.BridgedSession;

/**
 * Spring Security with form login on the starter's sessions ({@code redis.starter.session.spring-session.enabled}):
 * the HTTP session of a signed-in user lives in Redis, is shared by every instance, and a user has at most one (a
 * second sign-in expires the first). Only {@code /account} needs a sign-in; the {@code /api} and Actuator endpoints
 * stay open (and without CSRF tokens), so that the README's {@code curl} examples work as they are.
 * <p>
 * The operations console needs the role {@code REDIS_STARTER_CONSOLE}. For a local try the sample gives it to every
 * console request ({@link LocalConsoleAccess}, {@code sample.console.open-to-everyone}, on by default), as only on a
 * port nobody else reaches; with that off, sign in as {@code operator}. CSRF tokens live in a cookie rather than the
 * session, so that the console still answers while Redis (which holds the sessions) is down. The two users are for
 * trying the sample only.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableSpringHttpSession
class AccountSecurityConfiguration {

	@Bean
	SpringSessionBackedSessionRegistry<BridgedSession> sessionRegistry(
			FindByIndexNameSessionRepository<BridgedSession> sessions) {
		return new SpringSessionBackedSessionRegistry<>(sessions);
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, SessionRegistry sessionRegistry,
			@Value("${sample.console.open-to-everyone:true}") boolean consoleOpenToEveryone,
			@Value("${redis.starter.console.path:/redis-starter/}") String consolePath) throws Exception {
		if (consoleOpenToEveryone) {
			http.addFilterBefore(new LocalConsoleAccess(consolePath), AuthorizationFilter.class);
		}
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/account", "/account/**")
				.authenticated()
				// The console checks the role itself as well (redis.starter.console.role).
				.requestMatchers(consolePath + "**")
				.hasRole("REDIS_STARTER_CONSOLE")
				.anyRequest()
				.permitAll())
			.formLogin(Customizer.withDefaults())
			.csrf((csrf) -> csrf.csrfTokenRepository(new CookieCsrfTokenRepository())
				.ignoringRequestMatchers("/api/**", "/actuator/**"))
			.sessionManagement((sessions) -> sessions.maximumSessions(1).sessionRegistry(sessionRegistry))
			.build();
	}

	/** Sample users: ann (a user), and operator (who may open the console). Never do this in an application. */
	@Bean
	UserDetailsService sampleUsers() {
		return new InMemoryUserDetailsManager(
				User.withUsername("ann").password("{noop}ann-password").roles("USER").build(),
				User.withUsername("operator")
					.password("{noop}operator-password")
					.roles("USER", "REDIS_STARTER_CONSOLE")
					.build());
	}

}
