package dev.redisstarter.core;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.redisstarter.leaderboard.LeaderboardUnavailableException;
import dev.redisstarter.lock.LockUnavailableException;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.session.SessionStoreUnavailableException;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.spring.ConnectionFactories;

import static dev.redisstarter.core.StarterUnderFaults.time;
import static dev.redisstarter.core.StarterUnderFaults.timeFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private 3-master Cluster (its nodes are frozen and stopped, so it is not the shared one), with the
 * application's command timeout left at Lettuce's 60 s: every capability answers within its deadline with its
 * policy applied, whether the whole Cluster freezes or one master stops, and all recover without a restart.
 */
class ClusterFaultTests {

	private static final Duration SUB_SECOND_MARGIN = Duration.ofMillis(900);

	private static RedisCluster cluster;

	private StarterUnderFaults starter;

	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.threeMasters().start();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@BeforeEach
	void startStarter() {
		this.starter = new StarterUnderFaults(ConnectionFactories.lettuce(cluster),
				ResilienceSettings.DEFAULTS.withCircuit(3, Duration.ofSeconds(1)));
		this.starter.awaitRecovery(Duration.ofSeconds(30));
	}

	@AfterEach
	void stopStarter() {
		this.starter.close();
	}

	@Test
	void aFrozenClusterCostsEachCallAtMostItsDeadlineAndAllRecoverOnceItThaws() {
		String sessionId = this.starter.sessions.create("ada", Map.of()).id();
		cluster.masters().forEach(LocalRedisServer::freeze);
		try {
			Timed cached = timed(() -> assertThat(this.starter.cachedRead("product")).isEqualTo("loaded"));
			assertThat(cached.took()).isLessThan(SUB_SECOND_MARGIN);
			var open = time(() -> this.starter.limiter.tryAcquire("k", StarterUnderFaults.OPEN));
			assertThat(open.result().decision()).isEqualTo(RateLimitResult.Decision.FAILED_OPEN);
			assertThat(open.took()).isLessThan(SUB_SECOND_MARGIN);
			var lock = timeFailure(() -> this.starter.lockOnce("stock"));
			assertThat(lock.result()).isInstanceOf(LockUnavailableException.class);
			assertThat(lock.took()).isLessThan(SUB_SECOND_MARGIN);
			var session = timeFailure(() -> this.starter.sessions.get(sessionId));
			assertThat(session.result()).isInstanceOf(SessionStoreUnavailableException.class);
			assertThat(session.took()).isLessThan(SUB_SECOND_MARGIN);
			var board = timeFailure(() -> this.starter.boards.get("global").add("ada", 1));
			assertThat(board.result()).isInstanceOf(LeaderboardUnavailableException.class);
			assertThat(board.took()).isLessThan(SUB_SECOND_MARGIN);
			assertThat(this.starter.access.circuit().state()).isEqualTo(RedisCircuitBreaker.State.OPEN);
			assertThat(timed(() -> this.starter.cachedRead("product")).took()).as("fails fast once open")
				.isLessThan(Duration.ofMillis(50));
		}
		finally {
			cluster.masters().forEach(LocalRedisServer::thaw);
		}
		assertThat(this.starter.awaitRecovery(Duration.ofSeconds(15))).isLessThan(Duration.ofSeconds(8));
	}

	@Test
	void aStoppedMasterCostsEachCallAtMostItsDeadlineAndAllRecoverOnceItIsBack() {
		LocalRedisServer stopped = cluster.masters().get(0);
		stopped.stop();
		try {
			// Keys on the other masters may still work: every call answers in time, whatever it answers.
			for (int i = 0; i < 30; i++) {
				String key = "k" + i;
				assertThat(timed(() -> this.starter.cachedRead(key)).took()).isLessThan(SUB_SECOND_MARGIN);
				assertThat(time(() -> this.starter.limiter.tryAcquire(key, StarterUnderFaults.CLOSED)).took())
					.isLessThan(SUB_SECOND_MARGIN);
				assertThat(timed(() -> ignoreFailure(() -> this.starter.lockOnce(key))).took())
					.isLessThan(SUB_SECOND_MARGIN);
				assertThat(timed(() -> ignoreFailure(() -> this.starter.boards.get(key).add("m", 1))).took())
					.isLessThan(SUB_SECOND_MARGIN);
			}
		}
		finally {
			stopped.start();
		}
		assertThat(this.starter.awaitRecovery(Duration.ofSeconds(30))).isLessThan(Duration.ofSeconds(20));
	}

	private static void ignoreFailure(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			// the capability's policy: an exception naming the lock or board
		}
	}

	private static Timed timed(Runnable call) {
		long start = System.nanoTime();
		call.run();
		return new Timed(Duration.ofNanos(System.nanoTime() - start));
	}

	private record Timed(Duration took) {
	}

}
