package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.leaderboard.Leaderboard;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.messaging.pubsub.MessageBus;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.session.Session;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.TlsCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's ACL recipe, tested: every capability, wired by the auto-configuration, makes a representative call
 * as a user that has exactly the recipe's rule for the key prefix {@code shop:}, and Redis refuses nothing
 * ({@code ACL LOG} stays empty, which also covers commands inside scripts and background work). The same calls
 * run over TLS with a Spring Boot SSL bundle and a {@code rediss://} URL.
 */
class SecurityRecipeTests {

	/** The README's rule for the prefix {@code shop:} (Security section), without the optional server check. */
	static final String RECIPE = "shop on >shop-secret resetkeys ~shop:* resetchannels &shop:* -@all +@connection"
			+ " +@read +@write +@pubsub +eval +evalsha +time -@dangerous +info +config|get";

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		Collections.reverse(this.closing);
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	private ApplicationContextRunner runner(RedisServer as) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterLeaderboardAutoConfiguration.class,
					RedisStarterRateLimitAutoConfiguration.class, RedisStarterLockAutoConfiguration.class,
					RedisStarterSessionAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class,
					RedisStarterListenerAutoConfiguration.class, RedisStarterMessagingAutoConfiguration.class,
					RedisStarterStreamsAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class))
			.withPropertyValues(as.propertyValues())
			.withPropertyValues("redis.starter.key-prefix=shop:", "redis.starter.resilience.eviction-policy-check=fail",
					"redis.starter.stream.defaults.read-block=200ms",
					"redis.starter.queue.shutdown-wait=2s", "redis.starter.stream.shutdown-wait=2s")
			.withBean(Handlers.class);
	}

	@Test
	void everyCapabilityWorksAsAUserWithTheRecipesRuleOnly() {
		LocalRedisServer server = LocalRedisServer.builder().password("admin-secret").user(RECIPE).build().start();
		this.closing.add(server);
		runner(server.as("shop", "shop-secret")).run((context) -> {
			assertThat(context).hasNotFailed();
			everyCapabilityOnce(context);
			assertRefusedNothing(server, context);
		});
	}

	@Test
	void everyCapabilityWorksOverTlsWithAnSslBundle() {
		TlsCertificates certificates = TlsCertificates.create();
		this.closing.add(certificates::delete);
		LocalRedisServer server = LocalRedisServer.builder().password("admin-secret").user(RECIPE).tls(certificates)
			.build().start();
		this.closing.add(server);
		RedisServer shop = server.as("shop", "shop-secret");
		assertThat(shop.springDataRedisProperties()).containsEntry("spring.data.redis.ssl.bundle", "redis")
			.hasEntrySatisfying("spring.data.redis.url", (url) -> assertThat(url).startsWith("rediss://shop:"));
		runner(shop).run((context) -> {
			assertThat(context).hasNotFailed();
			everyCapabilityOnce(context);
			assertRefusedNothing(server, context);
		});
	}

	@Test
	void withoutTheOptionalServerCheckCommandsAFailingEvictionCheckStopsStartUpSayingWhatToGrant() {
		String withoutServerCheck = RECIPE.replace(" +info +config|get", "");
		LocalRedisServer server = LocalRedisServer.builder().password("admin-secret").user(withoutServerCheck).build()
			.start();
		this.closing.add(server);
		runner(server.as("shop", "shop-secret")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(new ServerCheckFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
				.contains("grant the application's Redis user +config|get");
			assertThat(context.getStartupFailure())
				.isInstanceOf(dev.redisstarter.core.ServerCheckFailedException.class)
				.hasMessageContaining("maxmemory-policy is unknown: Redis refused CONFIG GET maxmemory-policy (NOPERM")
				.hasMessageContaining("grant the starter's Redis user +config|get, or set"
						+ " redis.starter.resilience.eviction-policy-check to warn");
		});
		runner(server.as("shop", "shop-secret")).withPropertyValues("redis.starter.resilience.eviction-policy-check=warn")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theSecurityPageGivesThisRecipe() throws java.io.IOException {
		String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "security.md"));
		String rule = RECIPE.replace(">shop-secret", ">PASSWORD");
		assertThat(readme).contains("ACL SETUSER " + rule.replace(" +info +config|get", ""));
		assertThat(readme).contains("spring.data.redis.ssl.bundle").contains("rediss://");
	}

	private static void everyCapabilityOnce(ApplicationContext context) {
		Duration ttl = Duration.ofMinutes(1);
		CacheService cache = context.getBean(CacheService.class);
		assertThat(cache.getOrLoad("products:1", String.class, ttl, () -> "one")).isEqualTo("one");
		assertThat(cache.get("products:1", String.class)).contains("one");
		cache.set("products:2", "two", ttl, "product:2");
		assertThat(cache.invalidateTags("product:2")).isPositive();
		assertThat(cache.get("products:2", String.class)).isEmpty();

		SessionService sessions = context.getBean(SessionService.class);
		Session session = sessions.create("user-1", Map.of("cart", 1));
		sessions.update(session.id(), Map.of("cart", 2));
		assertThat(sessions.get(session.id())).isPresent();
		assertThat(sessions.listForUser("user-1")).hasSize(1);
		assertThat(sessions.destroy(session.id())).isTrue();

		RateLimiter limiter = context.getBean(RateLimiter.class);
		assertThat(limiter.tryAcquire("client", RateLimit.fixedWindow(5, ttl)).allowed()).isTrue();
		assertThat(limiter.tryAcquire("client", RateLimit.tokenBucket(5, 1)).allowed()).isTrue();

		DistributedLock locks = context.getBean(DistributedLock.class);
		try (LockLease lease = locks.tryAcquire("order-1", Duration.ZERO).orElseThrow()) {
			assertThat(lease.fencingToken()).isPositive();
		}
		assertThat(locks.withLock("order-1", Duration.ofSeconds(1), () -> "held")).isEqualTo("held");

		Leaderboard board = context.getBean(Leaderboards.class).get("global");
		board.add("alice", 10);
		board.increment("bob", 5);
		assertThat(board.top(1)).singleElement().satisfies((entry) -> assertThat(entry.member()).isEqualTo("alice"));
		assertThat(board.rank("bob")).isPresent();

		Handlers handlers = context.getBean(Handlers.class);
		MessageBus bus = context.getBean(MessageBus.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> bus.publish("events", "hello") > 0);
		await().atMost(Duration.ofSeconds(5)).until(() -> handlers.events.contains("hello"));
		context.getBean(StreamPublisher.class).add("orders", "order-1");
		await().atMost(Duration.ofSeconds(10)).until(() -> handlers.orders.contains("order-1"));
		context.getBean(JobQueue.class).enqueue("emails", "mail-1");
		await().atMost(Duration.ofSeconds(10)).until(() -> handlers.emails.contains("mail-1"));
	}

	private static void assertRefusedNothing(LocalRedisServer server, ApplicationContext context) {
		assertThat(server.command("ACL", "LOG")).as("what Redis refused (ACL LOG)").asList().isEmpty();
		RedisAccess access = context.getBean(RedisAccess.class);
		assertThat(access.permissions().current()).isEmpty();
		Health health = new RedisStarterHealthIndicator(access, null, Duration.ofSeconds(1)).health(true);
		assertThat(health.getStatus()).as(String.valueOf(health.getDetails())).isEqualTo(Status.UP);
		System.out.println("Commands used: " + commandsUsed(server));
	}

	/** Every command the server ran, from INFO commandstats (the admin's own INFO and ACL among them). */
	private static TreeSet<String> commandsUsed(LocalRedisServer server) {
		TreeSet<String> used = new TreeSet<>();
		for (String line : String.valueOf(server.command("INFO", "commandstats")).split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				used.add(line.substring("cmdstat_".length(), line.indexOf(':')));
			}
		}
		return used;
	}

	static class Handlers {

		final List<String> events = Collections.synchronizedList(new ArrayList<>());

		final List<String> orders = Collections.synchronizedList(new ArrayList<>());

		final List<String> emails = Collections.synchronizedList(new ArrayList<>());

		@RedisListener("events")
		void event(String text) {
			this.events.add(text);
		}

		@StreamListener(stream = "orders", group = "billing")
		void order(String order) {
			this.orders.add(order);
		}

		@JobHandler(queue = "emails")
		void email(String email) {
			this.emails.add(email);
		}

	}

}
