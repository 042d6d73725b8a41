package dev.redisstarter.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.KeyTemplate;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ScriptRunner;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * {@link RateLimiter} on Redis: each decision is one {@code EVALSHA} of {@code decide.lua}, whatever the
 * algorithm and however many limits are checked together, sent with pre-encoded arguments through a
 * {@link ScriptRunner} (the template's connection factory, without its serializers).
 *
 * <p>Keys, all hash-tagged by the limited key so that every limit on it lives in one Cluster slot (braces and
 * {@code %} in the limited key are percent-encoded):
 * <ul>
 * <li>{@code <prefix>ratelimit:{<key>}:<name>:<algorithm>:<limit>:<window µs>}: the limit's state: a hash
 * (fixed window, sliding window, token bucket), a sorted set of request times (sliding log) or a string
 * (GCRA), expiring when the state would be back to "nothing used";</li>
 * <li>{@code <prefix>ratelimit:{<key>}:<name>:blocked}: present while a limit with a block duration keeps
 * the key blocked.</li>
 * </ul>
 * When Redis cannot be reached within the command timeout, the limits' {@link FailureMode} decides: the
 * request is rejected if any limit fails closed, allowed otherwise.
 */
public final class RedisRateLimiter implements RateLimiter {

	private static final Log logger = LogFactory.getLog(RedisRateLimiter.class);

	private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	/**
	 * The most permits one request may take from a sliding log: each is an entry the script writes, so this
	 * bounds the work (and the memory) one decision costs inside Redis.
	 */
	public static final long MAX_SLIDING_LOG_PERMITS = 1000;

	/** How long a decision waits for Redis by default ({@code redis.starter.ratelimit.timeout}). */
	public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(250);

	/** The permits argument of most calls, encoded once (Lettuce does not change arguments). */
	private static final byte[] ONE_PERMIT = { '1' };

	private final ScriptRunner scripts;

	private final KeyNaming keys;

	private final RateLimitMetrics metrics;

	private final LuaScript<List> decide = LuaScript.load("dev/redisstarter/ratelimit/decide.lua", List.class);

	/**
	 * Each limit's keys around the limited key and its six script arguments, encoded once: they are the same for every
	 * request. Bounded by the application's limits (a limit's name is never the limited key).
	 */
	private final Map<RateLimit, EncodedLimit> encodedLimits = new ConcurrentHashMap<>();

	private final LocalRejections rejections;

	private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

	/**
	 * A limiter.
	 * @param redis the template to run the script through
	 * @param keys the key naming
	 * @param metrics where decisions are counted
	 */
	public RedisRateLimiter(StringRedisTemplate redis, KeyNaming keys, RateLimitMetrics metrics) {
		this(RedisAccess.of(Objects.requireNonNull(redis, "redis must not be null").getRequiredConnectionFactory())
			.calls(Feature.RATE_LIMIT, DEFAULT_DEADLINE), keys, metrics);
	}

	/**
	 * A limiter on the starter's shared access.
	 * @param calls the rate-limit calls, each bounded by the rate-limit deadline
	 * @param keys the key naming
	 * @param metrics where decisions are counted
	 */
	public RedisRateLimiter(RedisCalls calls, KeyNaming keys, RateLimitMetrics metrics) {
		this(calls, keys, metrics, 0, Duration.ZERO);
	}

	/**
	 * A limiter on the starter's shared access that remembers rejections locally.
	 * @param calls the rate-limit calls, each bounded by the rate-limit deadline
	 * @param keys the key naming
	 * @param metrics where decisions are counted
	 * @param localRejections how many rejected keys to remember, answering further requests on them without Redis
	 * until Redis's "retry after" has passed; 0 for none
	 * @param localRejectionTime the longest a rejection is remembered (what this instance cannot see, such as Redis
	 * restarted empty, is bounded by it)
	 */
	public RedisRateLimiter(RedisCalls calls, KeyNaming keys, RateLimitMetrics metrics, int localRejections,
			Duration localRejectionTime) {
		this.scripts = new ScriptRunner(calls);
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.rejections = (localRejections > 0) ? new LocalRejections(localRejections, localRejectionTime)
				: LocalRejections.NONE;
	}

	@Override
	public RateLimitResult tryAcquire(String key, List<RateLimit> limits, long permits) {
		long start = System.nanoTime();
		check(key, limits, permits);
		RateLimitResult tooBig = exceedsCapacity(limits, permits);
		if (tooBig != null) {
			// Before the memo: a request that can never pass must be told so, not to retry after a rejection.
			this.metrics.record(limits.get(0).name(), tooBig.decision(), System.nanoTime() - start);
			return tooBig;
		}
		RateLimitResult remembered = this.rejections.rejection(key, limits, permits, start);
		if (remembered != null) {
			this.metrics.recordLocal(limits.get(0).name(), remembered.decision(), System.nanoTime() - start);
			return remembered;
		}
		RateLimitResult result = decide(key, limits, permits);
		this.rejections.remember(key, limits, permits, start, result);
		this.metrics.record(limits.get(0).name(), result.decision(), System.nanoTime() - start);
		return result;
	}

	private static @Nullable RateLimitResult exceedsCapacity(List<RateLimit> limits, long permits) {
		for (RateLimit limit : limits) {
			if (permits > limit.capacity()) {
				return new RateLimitResult(false, limit.limit(), 0, limit.window(), limit.window(),
						RateLimitResult.Decision.EXCEEDS_CAPACITY, limit.name(), limit.window());
			}
		}
		return null;
	}

	private RateLimitResult decide(String key, List<RateLimit> limits, long permits) {
		int count = limits.size();
		byte[][] keysAndArgs = new byte[count * 2 + 1 + count * 6][];
		// The caller's length is bounded, not the escaped one (a brace is escaped to three characters).
		this.keys.checkPart(Feature.RATE_LIMIT, key);
		byte[] tag = utf8(escape(key));
		keysAndArgs[count * 2] = (permits == 1) ? ONE_PERMIT : Long.toString(permits).getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < count; i++) {
			EncodedLimit encoded = encoded(limits.get(i));
			keysAndArgs[2 * i] = encoded.state().key(tag);
			keysAndArgs[2 * i + 1] = encoded.blocked().key(tag);
			System.arraycopy(encoded.args(), 0, keysAndArgs, count * 2 + 1 + i * 6, 6);
		}
		List<?> reply;
		try {
			reply = this.scripts.multi(this.decide, count * 2, keysAndArgs);
		}
		catch (DataAccessException ex) {
			return redisUnavailable(key, limits, ex);
		}
		return merge(limits, reply);
	}

	private RateLimitResult merge(List<RateLimit> limits, List<?> reply) {
		RateLimitResult deciding = null;
		List<DecisionReply> decisions = DecisionReply.of(reply);
		for (int i = 0; i < limits.size(); i++) {
			DecisionReply decided = decisions.get(i);
			RateLimit limit = limits.get(i);
			RateLimitResult candidate = new RateLimitResult(decided.allowed(), limit.limit(), decided.remaining(),
					micros(decided.resetAfterMicros()), micros(decided.retryAfterMicros()), decided.decision(),
					limit.name(), limit.window());
			if (deciding == null || moreRestrictive(candidate, deciding)) {
				deciding = candidate;
			}
		}
		return deciding;
	}

	/** A rejection beats an allowance; among rejections the longest wait, among allowances the fewest left. */
	private static boolean moreRestrictive(RateLimitResult candidate, RateLimitResult current) {
		if (candidate.allowed() != current.allowed()) {
			return !candidate.allowed();
		}
		if (!candidate.allowed()) {
			return candidate.retryAfter().compareTo(current.retryAfter()) > 0;
		}
		return candidate.remaining() < current.remaining();
	}

	private RateLimitResult redisUnavailable(String key, List<RateLimit> limits, DataAccessException ex) {
		boolean failClosed = limits.stream().anyMatch((limit) -> limit.failureMode() == FailureMode.FAIL_CLOSED);
		long now = System.nanoTime();
		long last = this.lastFailureLog.get();
		if (now - last >= LOG_INTERVAL_NANOS && this.lastFailureLog.compareAndSet(last, now)) {
			logger.warn("Redis unavailable for rate limit '" + limits.get(0).name() + "': requests are "
					+ (failClosed ? "rejected (fail-closed)" : "allowed (fail-open)")
					+ " until it answers again (logged at most every 10 s): " + ex.getMessage());
		}
		RateLimit first = limits.get(0);
		return failClosed
				? new RateLimitResult(false, first.limit(), 0, first.window(), Duration.ofSeconds(1),
						RateLimitResult.Decision.FAILED_CLOSED, first.name(), first.window())
				: new RateLimitResult(true, first.limit(), first.limit(), Duration.ZERO, Duration.ZERO,
						RateLimitResult.Decision.FAILED_OPEN, first.name(), first.window());
	}

	private static void check(String key, List<RateLimit> limits, long permits) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("The rate-limited key must not be empty");
		}
		if (limits == null || limits.isEmpty()) {
			throw new IllegalArgumentException("At least one rate limit is needed for key " + Masking.mask(key));
		}
		if (permits < 1) {
			throw new IllegalArgumentException("permits must be at least 1, was " + permits);
		}
		// Most calls check one limit: no set of names to build for them.
		@Nullable Set<String> names = (limits.size() > 1) ? new HashSet<>() : null;
		for (RateLimit limit : limits) {
			if (limit.algorithm() == Algorithm.SLIDING_LOG && permits > MAX_SLIDING_LOG_PERMITS) {
				throw new IllegalArgumentException("A sliding-log decision writes one log entry per permit, so one"
						+ " request may take at most " + MAX_SLIDING_LOG_PERMITS + " permits of '" + limit.name()
						+ "', was " + permits + ": use a sliding window or a token bucket for heavy requests");
			}
			if (names != null && !names.add(limit.name())) {
				throw new IllegalArgumentException("Rate limits checked together need distinct names; '" + limit.name()
						+ "' appears twice (use RateLimit.withName)");
			}
		}
	}

	private EncodedLimit encoded(RateLimit limit) {
		EncodedLimit encoded = this.encodedLimits.get(limit);
		if (encoded == null) {
			encoded = new EncodedLimit(this.keys.template(Feature.RATE_LIMIT, limit.name(), limit.stateId()),
					this.keys.template(Feature.RATE_LIMIT, limit.name(), "blocked"), encode(limit));
			this.encodedLimits.putIfAbsent(limit, encoded);
		}
		return encoded;
	}

	private static byte[][] encode(RateLimit limit) {
		long windowMicros = RateLimit.micros(limit.window());
		return new byte[][] { utf8(limit.algorithm().code()), utf8(Long.toString(limit.limit())),
				utf8(Long.toString(windowMicros)), utf8(Double.toString((double) limit.limit() / windowMicros)),
				utf8(Long.toString(limit.burst())), utf8(Long.toString(RateLimit.micros(limit.blockDuration()))) };
	}

	/** Keeps the limited key from closing or opening a hash tag. */
	static String escape(String key) {
		if (key.indexOf('{') < 0 && key.indexOf('}') < 0 && key.indexOf('%') < 0) {
			return key;
		}
		return key.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
	}

	private static Duration micros(long micros) {
		return Duration.ofNanos(micros * 1000);
	}

	/** A limit's state and block keys around the limited key, and its script arguments. */
	private record EncodedLimit(KeyTemplate state, KeyTemplate blocked, byte[][] args) {
	}

}
