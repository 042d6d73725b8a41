package dev.redisstarter.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials in a sequence of faults. An outage (the proxy refuses connections), during which the password is
 * rotated on the server; the network heals while the old password is still configured; then the operator puts the
 * application's password back.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialFaultSequenceTests {

	private static final ResilienceSettings FAST = ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofMillis(100));

	private LocalRedisServer server;

	private FaultProxy proxy;

	private LettuceConnectionFactory factory;

	private RedisAccess access;

	@AfterEach
	void close() {
		if (this.access != null) {
			this.access.close();
		}
		if (this.factory != null) {
			this.factory.destroy();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	private Health health() {
		return new RedisStarterHealthIndicator(this.access, null, Duration.ofMillis(500)).health(true);
	}

	/**
	 * The circuit opens for an outage (connection refused), the password changes meanwhile, the network heals: the
	 * failure must now be named as the credentials (health failure: authentication, the WARN naming the
	 * properties), with the back-off, not as "unreachable"; and once the password is back the starter resumes
	 * within the back-off and health is UP.
	 */
	@Test
	void aPasswordRotatedDuringAnOutageIsNamedOnceTheNetworkHealsAndRecovers(CapturedOutput output) {
		this.server = LocalRedisServer.builder().password("admin").user("app on >right ~* &* +@all").build().start();
		this.proxy = FaultProxy.inFrontOf(this.server);
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(this.proxy.host(), this.proxy.port());
		configuration.setUsername("app");
		configuration.setPassword("right");
		this.factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.access = new RedisAccess(this.factory, FAST, null, "seq:").start();
		assertThat(this.access.awaitConnection(Duration.ofSeconds(5))).isTrue();
		RedisCalls calls = this.access.calls(Feature.CACHE, Duration.ofSeconds(1));
		calls.call((redis) -> redis.ping());

		this.proxy.set(Fault.REFUSE);
		await(() -> this.access.circuit().state() == RedisCircuitBreaker.State.OPEN, Duration.ofSeconds(5),
				() -> tryPing(calls));
		assertThat(this.access.circuit().failure().kind()).isEqualTo(RedisFailure.Kind.UNREACHABLE);
		sleep(Duration.ofSeconds(3));
		this.server.command("ACL", "SETUSER", "app", "resetpass", ">rotated");
		this.proxy.set(Fault.PASS);

		long healed = System.nanoTime();
		await(() -> this.access.circuit().failure() != null
				&& this.access.circuit().failure().kind() == RedisFailure.Kind.AUTHENTICATION, Duration.ofSeconds(10),
				() -> tryPing(calls));
		Health down = health();
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails()).containsEntry("failure", "authentication");
		assertThat(output).contains("refuses the starter's credentials (WRONGPASS").doesNotContain("rotated");

		this.server.command("ACL", "SETUSER", "app", ">right");
		long restored = System.nanoTime();
		await(() -> this.access.circuit().state() == RedisCircuitBreaker.State.CLOSED, Duration.ofSeconds(35),
				() -> tryPing(calls));
		assertThat(health().getStatus()).isEqualTo(Status.UP);
		assertThat(millisSince(restored)).as("recovered within a back-off step that began at most ~5 s earlier")
			.isLessThan(10_000);
	}

	/**
	 * The credentials are refused (the user's password rotated, its connections dropped), then Redis restarts empty
	 * with its configured users (the application's password is accepted again): the circuit closes, health is UP,
	 * and a pub/sub listener that was subscribed before hears again, without anything but the restart.
	 */
	@Test
	void credentialsRefusedThenRedisRestartedEmptyRecoversCallsHealthAndListeners(CapturedOutput output)
			throws Exception {
		this.server = LocalRedisServer.builder().password("admin").user("app on >right ~* &* +@all").build().start();
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(this.server.host(),
				this.server.port());
		configuration.setUsername("app");
		configuration.setPassword("right");
		this.factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.access = new RedisAccess(this.factory, FAST.withLiveness(Duration.ofMillis(500), Duration.ofMillis(500)),
				null, "seq:").start();
		assertThat(this.access.awaitConnection(Duration.ofSeconds(5))).isTrue();
		RedisCalls calls = this.access.calls(Feature.CACHE, Duration.ofSeconds(1));
		java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (dev.redisstarter.core.subscription.PubSubSubscriber listeners = new dev.redisstarter.core.subscription.PubSubSubscriber(
				this.access)) {
			listeners.start();
			listeners.subscribe(new dev.redisstarter.core.subscription.Route(dev.redisstarter.core.subscription.Route.Kind.CHANNEL,
					"seq:events"), (route, channel, body) -> heard.add(new String(body)));
			await(() -> publishHeard(heard, "before"), Duration.ofSeconds(10), () -> sleep(Duration.ofMillis(100)));

			this.server.command("ACL", "SETUSER", "app", "resetpass", ">rotated");
			this.server.command("CLIENT", "KILL", "USER", "app");
			await(() -> this.access.circuit().failure() != null
					&& this.access.circuit().failure().kind() == RedisFailure.Kind.AUTHENTICATION, Duration.ofSeconds(10),
					() -> tryPing(calls));
			sleep(Duration.ofSeconds(3));

			this.server.stop();
			this.server.start();
			long restarted = System.nanoTime();
			await(() -> this.access.circuit().state() == RedisCircuitBreaker.State.CLOSED, Duration.ofSeconds(35),
					() -> tryPing(calls));
			long closedAfter = millisSince(restarted);
			await(() -> publishHeard(heard, "after"), Duration.ofSeconds(35), () -> sleep(Duration.ofMillis(100)));
			long heardAfter = millisSince(restarted);
			Health health = health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(heardAfter).as("ms until the listener hears after the restart").isLessThan(10_000);
		}
	}

	private boolean publishHeard(java.util.List<String> heard, String message) {
		this.server.command("PUBLISH", "seq:events", message);
		sleep(Duration.ofMillis(50));
		return heard.contains(message);
	}

	private static void tryPing(RedisCalls calls) {
		try {
			calls.call((redis) -> redis.ping());
		}
		catch (RuntimeException ex) {
			// expected while refused
		}
		sleep(Duration.ofMillis(50));
	}

	private static long millisSince(long nanos) {
		return (System.nanoTime() - nanos) / 1_000_000;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void await(BooleanSupplier condition, Duration timeout, Runnable between) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not within " + timeout);
			}
			between.run();
		}
	}

}
