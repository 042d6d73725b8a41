package dev.redisstarter.core.web;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterCacheAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterLeaderboardAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterLockAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterSessionAutoConfiguration;
import dev.redisstarter.cache.CacheUnavailableException;
import dev.redisstarter.core.RedisUnavailableException;
import dev.redisstarter.leaderboard.LeaderboardUnavailableException;
import dev.redisstarter.lock.LockUnavailableException;
import dev.redisstarter.messaging.pubsub.MessagingUnavailableException;
import dev.redisstarter.messaging.queue.JobQueueUnavailableException;
import dev.redisstarter.messaging.stream.StreamUnavailableException;
import dev.redisstarter.messaging.web.MessagingExceptionHandler;
import dev.redisstarter.session.SessionStoreUnavailableException;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Every capability's "Redis unavailable" exception shares one base and one answer: 503, the same problem type,
 * {@code Retry-After}, a WARN line from the capability's handler, and nothing the caller sent in the problem; an
 * application's own handler for them still wins.
 */
@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class UnavailableAnswersTests {

	/** Each capability, and the handler whose logger answers it. */
	private static final List<String[]> CAPABILITIES = List.of(new String[] { "cache", "CacheExceptionHandler" },
			new String[] { "lock", "LockExceptionHandler" }, new String[] { "session", "SessionExceptionHandler" },
			new String[] { "leaderboard", "LeaderboardExceptionHandler" },
			new String[] { "pubsub", "MessagingExceptionHandler" }, new String[] { "stream", "MessagingExceptionHandler" },
			new String[] { "queue", "MessagingExceptionHandler" });

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterCacheAutoConfiguration.class, RedisStarterLockAutoConfiguration.class,
				RedisStarterSessionAutoConfiguration.class, RedisStarterLeaderboardAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=answers-" + UUID.randomUUID() + ":")
		.withUserConfiguration(FailingWeb.class);

	@Test
	void everyCapabilitysUnavailableExceptionIsAnswered503AlikeWithoutEchoingTheCaller(CapturedOutput output) {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			for (String[] capability : CAPABILITIES) {
				String input = "caller-" + UUID.randomUUID();
				int logged = output.getAll().length();
				MvcResult result = mvc.perform(get("/fail/" + capability[0]).param("input", input)).andReturn();
				String body = result.getResponse().getContentAsString();
				assertThat(result.getResponse().getStatus()).as(capability[0]).isEqualTo(503);
				assertThat(result.getResponse().getContentType()).as(capability[0])
					.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				assertThat(result.getResponse().getHeader("Retry-After")).as(capability[0]).isEqualTo("5");
				assertThat(body).as(capability[0])
					.contains("\"type\":\"" + ProblemTypes.REDIS_UNAVAILABLE + "\"")
					.contains("\"title\":\"Service Unavailable\"")
					.doesNotContain(input);
				// The first answer of each capability is its first in this outage: at WARN, from its handler.
				assertThat(output.getAll().substring(logged).lines()
					.filter((line) -> line.contains("Answered 503"))
					.toList()).as(capability[0])
					.singleElement()
					.satisfies((line) -> assertThat(line).contains("WARN").contains(capability[1]));
			}
		});
	}

	@Test
	void anApplicationsUnorderedCatchAllDoesNotTurnThemInto500s() {
		this.runner.withUserConfiguration(CatchAll.class).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			for (String[] capability : CAPABILITIES) {
				assertThat(mvc.perform(get("/fail/" + capability[0]).param("input", "x")).andReturn()
					.getResponse()
					.getStatus()).as(capability[0]).isEqualTo(503);
			}
		});
	}

	@Test
	void anApplicationsAdviceOrderedFirstAnswersTheSharedBaseForEveryCapability() {
		this.runner.withUserConfiguration(OwnFirst.class).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			for (String[] capability : CAPABILITIES) {
				MvcResult result = mvc.perform(get("/fail/" + capability[0]).param("input", "x")).andReturn();
				assertThat(result.getResponse().getStatus()).as(capability[0]).isEqualTo(502);
				assertThat(result.getResponse().getContentAsString()).isEqualTo("own answer");
			}
		});
	}

	@Test
	void aControllersOwnHandlerWins() {
		this.runner.withUserConfiguration(OwnInControllerWeb.class).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			MvcResult result = mvc.perform(get("/own/leaderboard")).andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(504);
			assertThat(result.getResponse().getContentAsString()).isEqualTo("controller's answer");
		});
	}

	@Test
	void theMessagingHandlerGivesWayToTheApplicationsOwn() {
		this.runner.withBean(MessagingExceptionHandler.class, () -> new MessagingExceptionHandler(Duration.ofSeconds(30)))
			.run((context) -> {
				assertThat(context).hasSingleBean(MessagingExceptionHandler.class);
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
				MvcResult result = mvc.perform(get("/fail/stream").param("input", "x")).andReturn();
				assertThat(result.getResponse().getStatus()).isEqualTo(503);
				assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("30");
			});
	}

	static RuntimeException failure(String capability, String input) {
		RedisConnectionFailureException cause = new RedisConnectionFailureException("Connection refused");
		return switch (capability) {
			case "cache" -> new CacheUnavailableException("product:" + input, cause);
			case "lock" -> new LockUnavailableException("order:" + input, cause);
			case "session" -> new SessionStoreUnavailableException("read a session of '" + input + "'", cause);
			case "leaderboard" -> new LeaderboardUnavailableException(input, cause);
			case "pubsub" -> new MessagingUnavailableException(input, "publish on", cause);
			case "stream" -> new StreamUnavailableException(input, "add", cause);
			case "queue" -> new JobQueueUnavailableException(input, "enqueue", cause);
			default -> throw new IllegalArgumentException(capability);
		};
	}

	@RestController
	static class FailingController {

		@GetMapping("/fail/{capability}")
		String fail(@PathVariable String capability, @RequestParam String input) {
			throw failure(capability, input);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(FailingController.class)
	static class FailingWeb {

	}

	@RestControllerAdvice
	static class CatchAllAdvice {

		@ExceptionHandler(Exception.class)
		@ResponseStatus(HttpStatus.INTERNAL_SERVER_ERROR)
		String failed(Exception ex) {
			return "failed";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(CatchAllAdvice.class)
	static class CatchAll {

	}

	/** An application's advice for the shared base, ordered before the starter's handlers. */
	@RestControllerAdvice
	@Order(Ordered.HIGHEST_PRECEDENCE)
	static class OwnAdvice {

		@ExceptionHandler(RedisUnavailableException.class)
		@ResponseStatus(HttpStatus.BAD_GATEWAY)
		String unavailable(RedisUnavailableException ex) {
			return "own answer";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(OwnAdvice.class)
	static class OwnFirst {

	}

	@RestController
	static class OwnInController {

		@GetMapping("/own/leaderboard")
		String fail() {
			throw failure("leaderboard", "x");
		}

		@ExceptionHandler(LeaderboardUnavailableException.class)
		@ResponseStatus(HttpStatus.GATEWAY_TIMEOUT)
		String unavailable(LeaderboardUnavailableException ex) {
			return "controller's answer";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(OwnInController.class)
	static class OwnInControllerWeb {

	}

}
