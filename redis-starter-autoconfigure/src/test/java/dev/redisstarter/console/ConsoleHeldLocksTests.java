package dev.redisstarter.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.servlet.MockMvc;

import dev.redisstarter.autoconfigure.RedisStarterLockAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterSessionAutoConfiguration;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.DistributedSemaphore;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.PermitLease;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * {@code GET api/locks}: the locks held now (owner, fencing token, time left, waiters) and the sessions alive, from a
 * bounded scan of each node, on one server and on a Cluster; a released lock is gone from the list.
 */
class ConsoleHeldLocksTests {

	private static WebApplicationContextRunner runner(RedisDeployment redis) {
		return ConsoleContexts.runner(redis)
			.withConfiguration(AutoConfigurations.of(RedisStarterLockAutoConfiguration.class,
					RedisStarterSessionAutoConfiguration.class));
	}

	@Test
	void heldLocksAndSessionsAreListedOnOneServer() {
		heldLocksAndSessionsAreListed(SharedRedis.standalone());
	}

	@Test
	void heldLocksAndSessionsAreListedOnACluster() {
		heldLocksAndSessionsAreListed(SharedRedis.cluster());
	}

	private static void heldLocksAndSessionsAreListed(RedisDeployment redis) {
		runner(redis).run((context) -> {
			MockMvc mvc = ConsoleContexts.mvc(context);
			SessionService sessions = context.getBean(SessionService.class);
			for (int i = 0; i < 3; i++) {
				sessions.create("user-" + i, Map.of());
			}
			Optional<LockLease> lease = context.getBean(DistributedLock.class)
				.tryAcquire("report", Duration.ofSeconds(1), Duration.ofMinutes(1));
			assertThat(lease).isPresent();
			Optional<PermitLease> permit = context.getBean(DistributedSemaphore.class)
				.tryAcquire("exports", 3, 1, Duration.ofSeconds(1), Duration.ofMinutes(1));
			assertThat(permit).isPresent();
			JsonNode held = ConsoleApiTests.json(mvc, get("/redis-starter/api/locks").with(ConsoleContexts.withRole()), 200);
			JsonNode report = ConsoleApiTests.find(held.get("locks"), "name", "report");
			assertThat(report.get("kind").asString()).isEqualTo("exclusive");
			assertThat(report.get("owner").asString()).contains(":");
			assertThat(report.get("fencingToken").asLong()).isEqualTo(lease.get().fencingToken());
			assertThat(report.get("millisLeft").asLong()).isBetween(1L, 60_000L);
			assertThat(report.get("waiters").asLong()).isZero();
			assertThat(ConsoleApiTests.find(held.get("locks"), "name", "exports").get("kind").asString())
				.isEqualTo("permits");
			assertThat(held.get("locksComplete").asBoolean()).isTrue();
			assertThat(held.get("sessions").asLong()).isEqualTo(3);
			assertThat(held.get("sessionsComplete").asBoolean()).isTrue();

			lease.get().close();
			permit.get().close();
			JsonNode after = ConsoleApiTests.json(mvc, get("/redis-starter/api/locks").with(ConsoleContexts.withRole()), 200);
			assertThat(after.get("locks").size()).as("released locks are gone").isZero();
		});
	}

	@Test
	void aSemaphoreCountsOnlyPermitsWhoseLeaseHasNotEnded() {
		runner(SharedRedis.standalone()).run((context) -> {
			MockMvc mvc = ConsoleContexts.mvc(context);
			String prefix = context.getBean(KeyNaming.class).prefix();
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			// Holders that died: their entries' leases ended, and no acquire has purged them yet.
			redis.opsForZSet().add(prefix + "lock:{uploads}:permits", "dead-holder#1", 1_000);
			redis.opsForZSet().add(prefix + "lock:{uploads}:permits", "dead-holder#2", 2_000);
			redis.opsForZSet().add(prefix + "lock:{abandoned}:permits", "dead-holder#1", 1_000);
			redis.expire(prefix + "lock:{uploads}:permits", Duration.ofMinutes(1));
			redis.expire(prefix + "lock:{abandoned}:permits", Duration.ofMinutes(1));
			try {
				Optional<PermitLease> permit = context.getBean(DistributedSemaphore.class)
					.tryAcquire("uploads", 5, 1, Duration.ofSeconds(1), Duration.ofMinutes(1));
				assertThat(permit).isPresent();
				// The acquire purged the ended entries of 'uploads'; put them back to see that the view skips them.
				redis.opsForZSet().add(prefix + "lock:{uploads}:permits", "dead-holder#1", 1_000);
				JsonNode held = ConsoleApiTests.json(mvc, get("/redis-starter/api/locks").with(ConsoleContexts.withRole()),
						200);
				assertThat(ConsoleApiTests.find(held.get("locks"), "name", "uploads").get("owner").asString())
					.isEqualTo("1 permits taken");
				assertThat(held.get("locks").findValuesAsString("name")).as("only ended leases: not held")
					.doesNotContain("abandoned");
				permit.get().close();
			}
			finally {
				redis.delete(List.of(prefix + "lock:{uploads}:permits", prefix + "lock:{abandoned}:permits"));
			}
		});
	}

	@Test
	void withoutTheRoleTheLocksAre403() {
		runner(SharedRedis.standalone()).run((context) -> {
			MockMvc mvc = ConsoleContexts.mvc(context);
			assertThat(mvc.perform(get("/redis-starter/api/locks")).andReturn().getResponse().getStatus()).isEqualTo(403);
		});
	}

}
