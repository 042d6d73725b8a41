package dev.redisstarter.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.StarterUnderFaults.Timed;
import dev.redisstarter.leaderboard.LeaderboardUnavailableException;
import dev.redisstarter.lock.LockUnavailableException;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.session.SessionStoreUnavailableException;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

import static dev.redisstarter.core.StarterUnderFaults.time;
import static dev.redisstarter.core.StarterUnderFaults.timeFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stopped, frozen (SIGSTOP), paused ({@code CLIENT PAUSE}) or black-holed (a proxy that accepts and never
 * answers), under every capability at once, with the application's command timeout left at Lettuce's 60 s:
 * each call answers within its capability's deadline with the capability's policy applied, the circuit opens
 * and then keeps calls off the network, and everything works again within seconds of Redis coming back.
 */
class StandaloneFaultTests {

	/** Generous against the deadlines (300 ms cache, 250 ms rate limit, 500 ms lock and board, 1 s session). */
	private static final Duration SUB_SECOND_MARGIN = Duration.ofMillis(900);

	private static final Duration FAST = Duration.ofMillis(50);

	private final LocalRedisServer server = LocalRedisServer.builder().build();

	private FaultProxy proxy;

	private StarterUnderFaults starter;

	enum RedisFault {

		STOPPED, FROZEN, PAUSED, BLACK_HOLED;

		void inject(LocalRedisServer server, FaultProxy proxy) {
			switch (this) {
				case STOPPED -> server.stop();
				case FROZEN -> server.freeze();
				// CLIENT UNPAUSE is paused too under ALL: the pause ends by itself.
				case PAUSED -> server.pauseClients(Duration.ofSeconds(4));
				case BLACK_HOLED -> proxy.set(Fault.BLACK_HOLE);
			}
		}

		void heal(LocalRedisServer server, FaultProxy proxy) {
			switch (this) {
				case STOPPED -> server.start();
				case FROZEN -> server.thaw();
				case PAUSED -> {
				}
				// The connections that were black-holed stay dead, as behind a NAT that dropped them.
				case BLACK_HOLED -> proxy.setForNewConnections(Fault.PASS);
			}
		}

		/** Whether bytes sent towards the server are counted by the proxy during the fault. */
		boolean proxyCountsTraffic() {
			return this == FROZEN || this == PAUSED;
		}

	}

	@AfterEach
	void stop() {
		if (this.starter != null) {
			this.starter.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		this.server.close();
	}

	private void startStarter() {
		this.server.start();
		this.proxy = FaultProxy.inFrontOf(this.server);
		// The application's own settings: Lettuce's default 60 s command timeout.
		LettuceConnectionFactory factory = new LettuceConnectionFactory(this.proxy.host(), this.proxy.port());
		factory.afterPropertiesSet();
		factory.start();
		this.starter = new StarterUnderFaults(factory,
				ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofSeconds(2)));
		assertThat(this.starter.allWork()).as("every capability works before the fault").isTrue();
	}

	@ParameterizedTest
	@EnumSource(RedisFault.class)
	void everyCallAnswersWithinItsDeadlineThenTheOpenCircuitKeepsCallsOffTheNetworkAndAllRecovers(RedisFault fault) {
		startStarter();
		assertThat(this.starter.cachedRead("product")).isEqualTo("loaded");
		int loadsBefore = this.starter.loads();
		String sessionId = this.starter.sessions.create("ada", Map.of()).id();
		fault.inject(this.server, this.proxy);

		Timed<Throwable> pattern = timeFailure(() -> this.starter.cache.invalidatePattern("product*"));
		assertThat(pattern.result()).isInstanceOf(DataAccessException.class);
		assertThat(pattern.took()).as("a pattern invalidation is bounded too").isLessThan(SUB_SECOND_MARGIN);

		Timed<String> cached = time(() -> this.starter.cachedRead("product"));
		assertThat(cached.result()).as("the loader serves").isEqualTo("loaded");
		assertThat(cached.took()).isLessThan(SUB_SECOND_MARGIN);
		assertThat(this.starter.loads()).isEqualTo(loadsBefore + 1);

		Timed<RateLimitResult> failedOpen = time(() -> this.starter.limiter.tryAcquire("k", StarterUnderFaults.OPEN));
		assertThat(failedOpen.result().decision()).isEqualTo(RateLimitResult.Decision.FAILED_OPEN);
		assertThat(failedOpen.took()).isLessThan(SUB_SECOND_MARGIN);

		Timed<RateLimitResult> failedClosed = time(() -> this.starter.limiter.tryAcquire("k", StarterUnderFaults.CLOSED));
		assertThat(failedClosed.result().decision()).isEqualTo(RateLimitResult.Decision.FAILED_CLOSED);
		assertThat(failedClosed.took()).isLessThan(SUB_SECOND_MARGIN);

		Timed<Throwable> lock = timeFailure(() -> this.starter.lockOnce("stock"));
		assertThat(lock.result()).isInstanceOf(LockUnavailableException.class);
		assertThat(lock.took()).isLessThan(SUB_SECOND_MARGIN);

		Timed<Throwable> session = timeFailure(() -> this.starter.sessions.create("ada", Map.of()));
		assertThat(session.result()).isInstanceOf(SessionStoreUnavailableException.class);
		assertThat(session.took()).isLessThan(Duration.ofSeconds(1).plus(SUB_SECOND_MARGIN));

		Timed<Throwable> board = timeFailure(() -> this.starter.boards.get("global").add("ada", 3));
		assertThat(board.result()).isInstanceOf(LeaderboardUnavailableException.class);
		assertThat(board.took()).isLessThan(SUB_SECOND_MARGIN);

		assertThat(this.starter.access.circuit().state()).as("opened by the failures").isEqualTo(RedisCircuitBreaker.State.OPEN);
		if (fault != RedisFault.STOPPED) {
			assertThat(this.starter.meters.get("redis.starter.deadlines.expired").tag("capability", "cache").counter().count())
				.as("the cache's deadline passed and was counted")
				.isPositive();
		}

		long bytesBefore = this.proxy.bytesToServer();
		for (int i = 0; i < 20; i++) {
			assertThat(time(() -> this.starter.cachedRead("product")).took()).isLessThan(FAST);
			assertThat(time(() -> this.starter.limiter.tryAcquire("k", StarterUnderFaults.OPEN)).took()).isLessThan(FAST);
			assertThat(timeFailure(() -> this.starter.lockOnce("stock")).took()).isLessThan(FAST);
			assertThat(timeFailure(() -> this.starter.sessions.get(sessionId)).took()).isLessThan(FAST);
			assertThat(timeFailure(() -> this.starter.boards.get("global").top(3)).took()).isLessThan(FAST);
		}
		if (fault.proxyCountsTraffic()) {
			assertThat(this.proxy.bytesToServer()).as("no call reached the network while the circuit was open")
				.isEqualTo(bytesBefore);
		}

		fault.heal(this.server, this.proxy);
		Duration recovery = this.starter.awaitRecovery(Duration.ofSeconds(15));
		assertThat(recovery).as("recovered without a restart, within seconds").isLessThan(Duration.ofSeconds(8));
		assertThat(this.starter.access.circuit().state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
	}

	@Test
	void connectionAttemptsLeftHangingInABlackHoleDoNotReopenTheCircuitOnceRedisIsBack() {
		this.server.start();
		this.proxy = FaultProxy.inFrontOf(this.server);
		// Attempts through the black hole hang until Lettuce's handshake gives up: the command timeout, here 5 s.
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.proxy.host(), this.proxy.port()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		factory.afterPropertiesSet();
		factory.start();
		this.starter = new StarterUnderFaults(factory, ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofSeconds(1)));
		this.proxy.set(Fault.BLACK_HOLE);
		for (int i = 0; i < 3; i++) {
			this.starter.cachedRead("product");
		}
		assertThat(this.starter.access.circuit().state()).isEqualTo(RedisCircuitBreaker.State.OPEN);
		LockSupport.parkNanos(Duration.ofSeconds(7).toNanos());
		this.proxy.setForNewConnections(Fault.PASS);
		this.starter.awaitRecovery(Duration.ofSeconds(10));
		long openings = this.starter.access.circuit().openings();
		long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
		while (System.nanoTime() < until) {
			assertThat(this.starter.limiter.tryAcquire("k", StarterUnderFaults.CLOSED).decision())
				.isNotEqualTo(RateLimitResult.Decision.FAILED_CLOSED);
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
		}
		assertThat(this.starter.access.circuit().openings()).as("the hung attempts failed without effect")
			.isEqualTo(openings);
	}

	@ParameterizedTest
	@EnumSource(value = RedisFault.class, names = { "FROZEN", "PAUSED" })
	void callsReachTheNetworkWhileTheCircuitIsClosed(RedisFault fault) {
		startStarter();
		long bytesBefore = this.proxy.bytesToServer();
		fault.inject(this.server, this.proxy);
		this.starter.cachedRead("product");
		assertThat(this.proxy.bytesToServer()).as("the proxy sees calls, so the open-circuit check above can fail")
			.isGreaterThan(bytesBefore);
		fault.heal(this.server, this.proxy);
	}

}
