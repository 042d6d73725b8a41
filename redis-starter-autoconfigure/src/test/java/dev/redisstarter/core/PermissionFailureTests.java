package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A permission refusal ({@code NOPERM}) is a configuration error, not an outage: the caller gets a
 * {@link RedisPermissionException} naming what to grant, no capability applies its Redis-down policy, the circuit
 * stays closed, health is DOWN with the refusal named, and all of it ends once the user is granted what it needs.
 */
@ExtendWith(OutputCaptureExtension.class)
class PermissionFailureTests {

	private static final ResilienceSettings FAST = ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(100))
		.withLiveness(Duration.ofMillis(200), Duration.ofSeconds(1));

	private final LocalRedisServer server = LocalRedisServer.builder()
		.password("admin")
		.user("app on >app-secret ~elsewhere:* &faults:* +@all")
		.build()
		.start();

	private StarterUnderFaults starter;

	private RedisCacheService invalidated;

	@AfterEach
	void close() {
		if (this.invalidated != null) {
			this.invalidated.close();
		}
		if (this.starter != null) {
			this.starter.close();
		}
		this.server.close();
	}

	private StarterUnderFaults starter() {
		this.starter = new StarterUnderFaults(ConnectionFactories.lettuce(this.server.as("app", "app-secret")), FAST);
		return this.starter;
	}

	private Health health() {
		return new RedisStarterHealthIndicator(this.starter.access, null, Duration.ofMillis(500)).health(true);
	}

	@Test
	void aRefusedKeyPrefixFailsEachCapabilityWithAPermissionErrorAndNoRedisDownPolicy(CapturedOutput output) {
		StarterUnderFaults starter = starter();
		assertThatExceptionOfType(RedisPermissionException.class)
			.isThrownBy(() -> starter.limiter.tryAcquire("client", StarterUnderFaults.OPEN))
			.withMessageContaining("ratelimit")
			.withMessageContaining("NOPERM")
			.withMessageContaining("'faults:' (redis.starter.key-prefix)")
			.withMessageContaining("~faults:*");
		assertThatExceptionOfType(RedisPermissionException.class).isThrownBy(() -> starter.cachedRead("product"));
		assertThat(starter.loads()).as("the cache does not serve from the loader as if Redis were down").isZero();
		assertThatExceptionOfType(RedisPermissionException.class).isThrownBy(() -> starter.lockOnce("order"));
		assertThatExceptionOfType(RedisPermissionException.class)
			.isThrownBy(() -> starter.sessions.create("user", Map.of()));
		assertThatExceptionOfType(RedisPermissionException.class).isThrownBy(() -> starter.boards.get("b").add("m", 1));
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(RedisPermissionException.class)
				.isThrownBy(() -> starter.limiter.tryAcquire("client", StarterUnderFaults.CLOSED));
		}
		assertThat(starter.access.circuit().state()).as("refusals are answers: the circuit stays closed")
			.isEqualTo(RedisCircuitBreaker.State.CLOSED);
		assertThat(starter.access.circuit().openings()).isZero();

		Health health = health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("failure", "permission");
		@SuppressWarnings("unchecked")
		Map<String, String> refusals = (Map<String, String>) health.getDetails().get("permissionRefusals");
		assertThat(refusals).containsKey("ratelimit evalsha").containsKey("session evalsha");
		assertThat(refusals.get("ratelimit evalsha")).startsWith("NOPERM");
		assertThat(output.toString().split("Redis refused the starter's ratelimit call", -1)).as("logged once")
			.hasSize(2);
		assertThat(output).doesNotContain("app-secret");

		this.server.command("ACL", "SETUSER", "app", "~faults:*");
		assertThat(starter.allWork()).as("every capability works once the prefix is granted").isTrue();
		assertThat(starter.access.permissions().current()).extracting(PermissionRefusals.Refusal::what)
			.doesNotContain("ratelimit evalsha", "session evalsha");
	}

	@Test
	void callsThatAlternateBetweenAGrantedAndARefusedKeyAreLoggedOnceNotOncePerRefusal(CapturedOutput output) {
		// The application's own commands on keys in and out of its pattern, or a Cluster whose nodes were not all
		// changed (ACL SETUSER acts on one node): the same command is refused and succeeds in turn.
		StarterUnderFaults starter = starter();
		RedisCalls calls = starter.access.calls(Feature.APPLICATION, Duration.ofSeconds(2));
		byte[] granted = "elsewhere:granted".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] refused = "faults:refused".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		for (int i = 0; i < 20; i++) {
			calls.call((redis) -> redis.get(granted));
			assertThatExceptionOfType(RedisPermissionException.class)
				.isThrownBy(() -> calls.call((redis) -> redis.get(refused)));
		}
		assertThat(output.toString().split("Redis refused the starter's app call", -1)).as("logged once, not 20 times")
			.hasSize(2);
		assertThat(output.toString().split("Redis allows the starter's app GET again", -1)).as("at most once")
			.hasSizeLessThanOrEqualTo(2);
		assertThat(starter.access.permissions().current()).extracting(PermissionRefusals.Refusal::what)
			.as("the last call was refused: in health").contains("app get");
	}

	@Test
	void aRefusedInvalidationChannelIsLoggedOnceShownInHealthAndSubscribedOnceGranted(CapturedOutput output) {
		this.server.command("ACL", "SETUSER", "app", "~faults:*", "resetchannels");
		StarterUnderFaults starter = starter();
		this.invalidated = new RedisCacheService(starter.access.calls(Feature.CACHE, Duration.ofSeconds(1)),
				new KeyNaming("faults:"), new JsonCodec(JsonMapper.builder().build(),
						new DecodeFailureReporter(new SimpleMeterRegistry())),
				CacheSettings.DEFAULTS, new CacheMetrics(new SimpleMeterRegistry()));
		await(() -> !starter.access.permissions().current().isEmpty(), Duration.ofSeconds(5));
		sleep(Duration.ofMillis(600));
		List<PermissionRefusals.Refusal> refused = starter.access.permissions().current();
		assertThat(refused).extracting(PermissionRefusals.Refusal::what)
			.containsExactlyInAnyOrder("subscription for cache invalidations", "subscription for lock release notices");
		assertThat(health().getDetails()).containsEntry("failure", "permission");
		assertThat(output.toString().split("Redis refused the starter's subscription for cache invalidations", -1))
			.as("logged once though retried").hasSize(2);
		assertThat(output).contains("channel 'faults:cache:invalidations'").contains("&faults:cache:invalidations");

		this.server.command("ACL", "SETUSER", "app", "&faults:*");
		await(() -> starter.access.permissions().current().isEmpty(), Duration.ofSeconds(5));
		assertThat(health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aRefusedInvalidationNoticeDoesNotFailTheInvalidationWhichTookEffect(CapturedOutput output) {
		// Keys granted, channels not: the script sets the tag's new version, then its PUBLISH is refused.
		this.server.command("ACL", "SETUSER", "app", "~faults:*", "resetchannels");
		StarterUnderFaults starter = starter();
		for (int i = 0; i < 3; i++) {
			starter.cache.set("product:" + i, "value", Duration.ofMinutes(1), "products");
			assertThat(starter.cache.invalidateTags("products")).as("the caller's invalidation completes").isEqualTo(1);
			assertThat(starter.cache.get("product:" + i, String.class)).as("and has taken effect").isEmpty();
		}
		assertThat(starter.access.permissions().current()).extracting(PermissionRefusals.Refusal::what)
			.contains("publishing cache invalidation notices")
			.doesNotContain("cache evalsha");
		assertThat(health().getDetails()).containsEntry("failure", "permission");
		assertThat(output.toString().split("Redis refused the starter's cache invalidation notices", -1))
			.as("logged once").hasSize(2);
		assertThat(output).contains("&faults:cache:invalidations");

		this.server.command("ACL", "SETUSER", "app", "&faults:*");
		starter.cache.invalidateTags("products");
		assertThat(starter.access.permissions().current()).extracting(PermissionRefusals.Refusal::what)
			.doesNotContain("publishing cache invalidation notices");
	}

	@Test
	void aRefusedReleaseNoticeDoesNotFailTheReleaseAndWaitersStillGetTheLock(CapturedOutput output) throws Exception {
		this.server.command("ACL", "SETUSER", "app", "~faults:*", "resetchannels");
		StarterUnderFaults starter = starter();
		// The waiter is another instance's: a waiter of the releasing instance would be handed the lock without a notice.
		try (StarterUnderFaults other = new StarterUnderFaults(
				ConnectionFactories.lettuce(this.server.as("app", "app-secret")), FAST)) {
			for (int i = 0; i < 2; i++) {
				LockLease held = starter.locks.tryAcquire("order", Duration.ZERO).orElseThrow();
				CompletableFuture<Optional<LockLease>> waiter = CompletableFuture
					.supplyAsync(() -> other.locks.tryAcquire("order", Duration.ofSeconds(5)));
				sleep(Duration.ofMillis(200));
				assertThat(held.release()).as("released, though the notice to the waiter is refused").isTrue();
				LockLease next = waiter.get(5, TimeUnit.SECONDS).orElseThrow();
				next.close();
			}
		}
		assertThat(starter.access.permissions().current()).extracting(PermissionRefusals.Refusal::what)
			.contains("publishing lock release notices");
		assertThat(output.toString().split("Redis refused the starter's lock release notices", -1))
			.as("logged once").hasSize(2);
	}

	@Test
	void theEvictionCheckInFailModeReportsAPolicyItCannotRead() {
		this.server.command("ACL", "SETUSER", "app", "~faults:*", "-config", "-info");
		StarterUnderFaults starter = starter();
		ServerCheck failing = new ServerCheck(ServerCheck.Mode.FAIL, List.of("locks"));
		ServerCheck warning = new ServerCheck(ServerCheck.Mode.WARN, List.of("locks"));
		starter.access.onConnect(failing::run);
		starter.access.onConnect(warning::run);
		ServerCheck.Result failed = failing.awaitFirst(5000);
		assertThat(failed).isNotNull();
		assertThat(failed.maxmemoryPolicy()).isEqualTo("unknown");
		assertThat(failed.version()).isEqualTo("unknown");
		assertThat(failed.problems()).singleElement().asString()
			.contains("NOPERM")
			.contains("grant the starter's Redis user +config|get")
			.contains("redis.starter.resilience.eviction-policy-check to warn");
		assertThat(warning.awaitFirst(5000).problems()).isEmpty();
	}

	private static void await(BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not within " + timeout);
			}
			sleep(Duration.ofMillis(20));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
