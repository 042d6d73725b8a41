package dev.redisstarter.core;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.leaderboard.LeaderboardSettings;
import dev.redisstarter.leaderboard.RedisLeaderboards;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.ratelimit.FailureMode;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitMetrics;
import dev.redisstarter.ratelimit.RedisRateLimiter;
import dev.redisstarter.session.RedisSessionService;
import dev.redisstarter.session.SessionMetrics;
import dev.redisstarter.session.SessionSettings;

/**
 * Every capability on one {@link RedisAccess}, as the auto-configuration wires them, with the default
 * deadlines, over a connection factory that keeps Lettuce's 60 s command timeout: what the fault tests call.
 */
final class StarterUnderFaults implements AutoCloseable {

	static final RateLimit OPEN = RateLimit.fixedWindow(1000, Duration.ofMinutes(1)).withName("open");

	static final RateLimit CLOSED = OPEN.withName("closed").withFailureMode(FailureMode.FAIL_CLOSED);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final LettuceConnectionFactory factory;

	final RedisAccess access;

	final RedisCacheService cache;

	final RedisRateLimiter limiter;

	final RedisDistributedLock locks;

	final RedisSessionService sessions;

	final RedisLeaderboards boards;

	private int loads;

	StarterUnderFaults(LettuceConnectionFactory factory, ResilienceSettings settings) {
		this.factory = factory;
		KeyNaming keys = new KeyNaming("faults:");
		this.access = new RedisAccess(factory, settings, this.meters, "faults:").start();
		this.access.awaitConnection(Duration.ofSeconds(10));
		JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters));
		this.cache = new RedisCacheService(this.access.calls(Feature.CACHE, RedisCacheService.DEFAULT_DEADLINE), keys,
				codec, CacheSettings.DEFAULTS, new CacheMetrics(this.meters));
		this.limiter = new RedisRateLimiter(this.access.calls(Feature.RATE_LIMIT, RedisRateLimiter.DEFAULT_DEADLINE),
				keys, new RateLimitMetrics(this.meters));
		this.locks = new RedisDistributedLock(this.access.calls(Feature.LOCK, RedisDistributedLock.DEFAULT_DEADLINE),
				keys, LockSettings.DEFAULTS, new LockMetrics(this.meters));
		this.sessions = new RedisSessionService(
				this.access.calls(Feature.SESSION, RedisSessionService.DEFAULT_DEADLINE), keys, codec,
				SessionSettings.DEFAULTS, new SessionMetrics(this.meters), null);
		this.boards = new RedisLeaderboards(this.access.calls(Feature.LEADERBOARD, RedisLeaderboards.DEFAULT_DEADLINE),
				keys, LeaderboardSettings.DEFAULTS, Map.of(), java.time.ZoneId.of("UTC"), java.time.Clock.systemUTC());
	}

	/** A cached read: the loader's value whatever Redis does. */
	String cachedRead(String key) {
		return this.cache.getOrLoad(key, String.class, Duration.ofMinutes(5), () -> {
			this.loads++;
			return "loaded";
		});
	}

	int loads() {
		return this.loads;
	}

	/** A lock taken and released at once; throws LockUnavailableException when Redis is unavailable. */
	void lockOnce(String name) {
		Optional<LockLease> lease = this.locks.tryAcquire(name, Duration.ZERO);
		lease.orElseThrow().close();
	}

	/** Every capability once, without failing: true when all of them reached Redis. */
	boolean allWork() {
		try {
			this.cache.set("probe", "v", Duration.ofMinutes(1));
			boolean cached = this.cache.get("probe", String.class).isPresent();
			boolean limited = this.limiter.tryAcquire("probe", CLOSED).decision()
					!= dev.redisstarter.ratelimit.RateLimitResult.Decision.FAILED_CLOSED;
			lockOnce("probe");
			this.sessions.destroy(this.sessions.create("probe-user", Map.of()).id());
			this.boards.get("probe").add("m", 1);
			return cached && limited;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Waits until every capability works again; returns how long that took. */
	Duration awaitRecovery(Duration timeout) {
		long start = System.nanoTime();
		while (!allWork()) {
			if (System.nanoTime() - start > timeout.toNanos()) {
				throw new AssertionError("the starter did not recover within " + timeout + "; circuit "
						+ this.access.circuit());
			}
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	static <T> Timed<T> time(Supplier<T> call) {
		long start = System.nanoTime();
		T result = call.get();
		return new Timed<>(result, Duration.ofNanos(System.nanoTime() - start));
	}

	static Timed<Throwable> timeFailure(Runnable call) {
		long start = System.nanoTime();
		try {
			call.run();
		}
		catch (Throwable ex) {
			return new Timed<>(ex, Duration.ofNanos(System.nanoTime() - start));
		}
		throw new AssertionError("expected a failure");
	}

	record Timed<T>(T result, Duration took) {
	}

	@Override
	public void close() {
		this.cache.close();
		this.locks.close();
		this.access.close();
		this.factory.destroy();
	}

}
