package dev.redisstarter.lock.web;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterLockAutoConfiguration;
import dev.redisstarter.lock.DistributedReadWriteLock;
import dev.redisstarter.lock.DistributedSemaphore;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.PermitLease;
import dev.redisstarter.lock.WithPermit;
import dev.redisstarter.lock.WithReadLock;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** {@code @WithReadLock} and {@code @WithPermit} that wait in vain answer as {@code @WithLock} does: 409. */
@RealRedis
class SharedLockWebAnswersTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=slkweb-" + UUID.randomUUID() + ":")
		.withUserConfiguration(ReportsWeb.class);

	@Test
	void aReadLockHeldOffByAWriterAnswers409NamingTheLock() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			mvc.perform(get("/reports/r-1")).andExpect(status().isOk());
			DistributedReadWriteLock locks = context.getBean(DistributedReadWriteLock.class);
			try (LockLease writing = CompletableFuture
				.supplyAsync(() -> locks.tryWriteLock("report:r-1", Duration.ZERO, Duration.ofSeconds(10)).orElseThrow())
				.get()) {
				mvc.perform(get("/reports/r-1"))
					.andExpect(status().isConflict())
					.andExpect(header().string("Retry-After", "1"))
					.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
					.andExpect(jsonPath("$.lock").value("report:r-1"));
			}
		});
	}

	@Test
	void aPermitNotFreeInTimeAnswers409NamingTheSemaphore() {
		this.runner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			DistributedSemaphore semaphores = context.getBean(DistributedSemaphore.class);
			try (PermitLease all = semaphores.tryAcquire("exports", 1, 1, Duration.ZERO).orElseThrow()) {
				mvc.perform(get("/exports"))
					.andExpect(status().isConflict())
					.andExpect(header().string("Retry-After", "1"))
					.andExpect(jsonPath("$.detail").value(containsString("exports")))
					.andExpect(jsonPath("$.lock").value("exports"));
			}
			mvc.perform(get("/exports")).andExpect(status().isOk());
		});
	}

	@RestController
	static class ReportsController {

		@GetMapping("/reports/{id}")
		@WithReadLock(key = "'report:' + #id", waitTime = "100ms")
		String report(@PathVariable String id) {
			return "report " + id;
		}

		@GetMapping("/exports")
		@WithPermit(key = "'exports'", limit = 1, waitTime = "100ms")
		String export() {
			return "exported";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(ReportsController.class)
	static class ReportsWeb {

	}

}
