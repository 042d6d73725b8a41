package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A waiting writer that dies or loses Redis without leaving the set of waiting writers holds off new readers only
 * for about one poll interval and one call deadline, not for the rest of its (possibly long) wait.
 */
class LostWaitingWriterTests {

	private static final LockSettings SETTINGS = LockSettings.DEFAULTS.withPollInterval(Duration.ofMillis(20));

	@Test
	void aWaitingWriterCutOffFromRedisHoldsOffReadersForAboutOnePollNotForItsWholeWait() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory writerFactory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			LettuceConnectionFactory readerFactory = ConnectionFactories.lettuce(server.host(), server.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = new RedisAccess(writerFactory, ResilienceSettings.DEFAULTS, meters).start();
			access.awaitConnection(Duration.ofSeconds(10));
			KeyNaming keys = new KeyNaming("");
			try (RedisReadWriteLock writerInstance = new RedisReadWriteLock(access.calls(Feature.LOCK, Duration.ofMillis(200)),
					keys, SETTINGS, new LockMetrics(meters));
					RedisReadWriteLock readerInstance = new RedisReadWriteLock(readerFactory, keys, SETTINGS,
							new LockMetrics(meters))) {
				LockLease reading = readerInstance.tryReadLock("report", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
				// A writer with a long wait, queued behind the reader.
				CompletableFuture<Optional<LockLease>> writer = CompletableFuture
					.supplyAsync(() -> writerInstance.tryWriteLock("report", Duration.ofSeconds(20), Duration.ofSeconds(10)));
				awaitWaitingWriters(server, 1L);
				// Its instance loses Redis: its next try fails, and it cannot take itself out of the waiting writers.
				proxy.set(Fault.BLACK_HOLE);
				assertThat(writer).failsWithin(5, TimeUnit.SECONDS)
					.withThrowableOfType(ExecutionException.class)
					.withCauseInstanceOf(LockUnavailableException.class);
				reading.release();
				long start = System.nanoTime();
				Optional<LockLease> read = CompletableFuture
					.supplyAsync(() -> readerInstance.tryReadLock("report", Duration.ofSeconds(4), Duration.ofSeconds(30)))
					.get(10, TimeUnit.SECONDS);
				Duration waited = Duration.ofNanos(System.nanoTime() - start);
				assertThat(read).as("a reader while the lost writer's wait (20 s) still runs").isPresent();
				assertThat(waited).as("the lost writer holds readers off for about one poll and one deadline")
					.isLessThan(Duration.ofSeconds(2));
				read.get().release();
			}
			finally {
				proxy.set(Fault.RESET);
				proxy.pass();
				access.close();
				writerFactory.destroy();
				readerFactory.destroy();
			}
		}
	}

	private static void awaitWaitingWriters(LocalRedisServer server, long expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!Long.valueOf(expected).equals(server.command("ZCARD", "lock:{report}:rw:writers"))
				&& System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
		}
		assertThat(server.command("ZCARD", "lock:{report}:rw:writers")).as("waiting writers").isEqualTo(expected);
	}

}
