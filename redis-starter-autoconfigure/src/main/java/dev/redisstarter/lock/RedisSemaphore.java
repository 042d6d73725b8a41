package dev.redisstarter.lock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.backoff.BackOffExecution;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.KeyTemplate;
import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * {@link DistributedSemaphore} on Redis. One key per semaphore, {@code <prefix>lock:{<name>}:permits}: a sorted set
 * of permit id ({@code <holder id>#<n>}) to the end of its lease (server ms), expiring with the longest lease.
 * {@code semaphore-acquire.lua} purges the permits whose lease ended, then takes permits if enough are free;
 * {@code semaphore-extend.lua}, {@code semaphore-release.lua} and {@code semaphore-held.lua} act only on the holder's
 * own permits. Waiters poll ({@link PolledWait}). One daemon thread renews this instance's renewed leases; close
 * this object to stop it.
 */
public final class RedisSemaphore implements DistributedSemaphore, AutoCloseable {

	/** The default number of permits of a semaphore ({@code redis.starter.lock.default-permits}). */
	public static final int DEFAULT_PERMITS = 10;

	private final RedisCalls calls;

	private final KeyNaming keys;

	private final LockSettings settings;

	private final int defaultLimit;

	private final LockMetrics metrics;

	private final SemaphoreScripts scripts = SemaphoreScripts.load();

	private final LeaseKeeper leases = new LeaseKeeper("semaphore-renewal");

	private final PolledWait waits;

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicLong acquisitions = new AtomicLong();

	private final KeyTemplate permitKeys;

	/**
	 * A semaphore service with connections from a factory.
	 * @param connectionFactory the connection factory
	 * @param keys the key naming
	 * @param settings leases, renewal and the longest pause between tries ({@code pollInterval})
	 * @param defaultLimit how many permits a semaphore has when the caller does not say
	 * @param metrics where acquisitions are counted
	 */
	public RedisSemaphore(RedisConnectionFactory connectionFactory, KeyNaming keys, LockSettings settings,
			int defaultLimit, LockMetrics metrics) {
		this(RedisAccess.of(Objects.requireNonNull(connectionFactory, "connectionFactory must not be null"))
			.calls(Feature.LOCK, RedisDistributedLock.DEFAULT_DEADLINE), keys, settings, defaultLimit, metrics);
	}

	/**
	 * A semaphore service on the starter's shared access.
	 * @param calls the lock calls, each bounded by the lock deadline
	 * @param keys the key naming
	 * @param settings leases, renewal and the longest pause between tries ({@code pollInterval})
	 * @param defaultLimit how many permits a semaphore has when the caller does not say
	 * @param metrics where acquisitions are counted
	 */
	public RedisSemaphore(RedisCalls calls, KeyNaming keys, LockSettings settings, int defaultLimit,
			LockMetrics metrics) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		if (defaultLimit < 1) {
			throw new IllegalArgumentException("defaultLimit must be at least 1, was " + defaultLimit);
		}
		this.defaultLimit = defaultLimit;
		this.waits = new PolledWait(settings.pollInterval());
		this.permitKeys = keys.template(Feature.LOCK, "permits");
	}

	/**
	 * How many permits a semaphore has when the caller does not say.
	 * @return the default limit
	 */
	public int defaultLimit() {
		return this.defaultLimit;
	}

	@Override
	public Optional<PermitLease> tryAcquire(String name, Duration wait) {
		return acquire(name, this.defaultLimit, 1, wait, this.settings.defaultLease(), this.settings.renewal());
	}

	@Override
	public Optional<PermitLease> tryAcquire(String name, int limit, int permits, Duration wait) {
		return acquire(name, limit, permits, wait, this.settings.defaultLease(), this.settings.renewal());
	}

	@Override
	public Optional<PermitLease> tryAcquire(String name, int limit, int permits, Duration wait, Duration lease) {
		if (lease == null || lease.toMillis() < 1) {
			throw new IllegalArgumentException("The lease of semaphore " + Masking.mask(name) + " must be at least 1 ms, was " + lease);
		}
		return acquire(name, limit, permits, wait, lease, false);
	}

	@Override
	public int available(String name, int limit) {
		check(name, limit, 1, Duration.ZERO);
		byte[] key = this.permitKeys.key(utf8(name));
		try {
			List<?> reply = this.calls.script(this.scripts.acquire(), ScriptOutputType.MULTI, 1, key, utf8("-"),
					utf8("1"), utf8(Integer.toString(limit)), utf8("0"));
			return ((Long) reply.get(1)).intValue();
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(name, ex);
		}
	}

	@Override
	public <T> T withPermit(String name, Duration wait, Supplier<T> work) {
		try (PermitLease lease = tryAcquire(name, wait)
			.orElseThrow(() -> new PermitsNotAcquiredException(name, 1, this.defaultLimit, wait))) {
			return work.get();
		}
	}

	private Optional<PermitLease> acquire(String name, int limit, int permits, Duration wait, Duration lease,
			boolean renew) {
		check(name, limit, permits, wait);
		byte[] key = this.permitKeys.key(utf8(name));
		String holder = this.instanceId + ":" + this.acquisitions.incrementAndGet();
		byte[][] keysAndArgs = { key, utf8(holder), utf8(Long.toString(lease.toMillis())),
				utf8(Integer.toString(limit)), utf8(Integer.toString(permits)) };
		long start = System.nanoTime();
		long deadline = start + wait.toNanos();
		BackOffExecution pauses = this.waits.start();
		try {
			while (true) {
				if (Thread.currentThread().isInterrupted()) {
					// Cancelled: gives up without trying, as tryAcquire(timeout) does (the flag is kept).
					return Optional.empty();
				}
				long seen = this.waits.releases(name);
				AcquireReply reply = tryOnce(name, keysAndArgs, holder, permits);
				if (reply.acquired()) {
					this.metrics.acquired(System.nanoTime() - start);
					return Optional.of(held(name, key, holder, permits, lease, renew));
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					this.metrics.timedOut(System.nanoTime() - start);
					return Optional.empty();
				}
				this.waits.pause(name, seen, PolledWait.next(pauses, reply.holderLeftMillis(), left));
			}
		}
		catch (DataAccessException ex) {
			if (Thread.currentThread().isInterrupted()) {
				// Interrupted while the reply was on its way: permits it grants are given back when it comes (tryOnce).
				return Optional.empty();
			}
			throw new LockUnavailableException(name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	/**
	 * One try. Permits taken by a reply that came after the deadline or after the caller was interrupted, when the
	 * caller has given up, are given back at once (holder-checked); with no reply at all they come back when their lease ends.
	 */
	private AcquireReply tryOnce(String name, byte[][] keysAndArgs, String holder, int permits) {
		return AcquireReply.of(this.calls.run((redis) -> this.calls.awaitScript(redis,
				this.calls.<List<Object>>startScript(redis, this.scripts.acquire(), ScriptOutputType.MULTI, 1,
						keysAndArgs),
				(late) -> {
					if (AcquireReply.of(late).acquired()) {
						this.metrics.abandoned();
						try {
							release(name, keysAndArgs[0], holder, permits);
						}
						catch (LockUnavailableException ex) {
							// They come back when their lease ends.
						}
					}
				})));
	}

	private PermitLease held(String name, byte[] key, String holder, int permits, Duration lease, boolean renew) {
		RedisPermitLease acquired = new RedisPermitLease(this, name, key, holder, permits);
		if (renew) {
			Duration maxRenewal = this.settings.maxRenewal();
			acquired.renewWith(this.leases.keep("permits of semaphore " + Masking.mask(name), LeaseKeeper.periodFor(lease),
					maxRenewal, () -> acquired.renew(lease), () -> acquired.renewedTooLong(maxRenewal)));
		}
		return acquired;
	}

	/** Gives a holder's own permits back; whether they were still held. */
	boolean release(String name, byte[] key, String holder, int permits) {
		try {
			Long held = script(this.scripts.release(), key, utf8(holder), utf8(Integer.toString(permits)));
			return held != null && held == permits;
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(name, ex);
		}
		finally {
			this.waits.released(name);
		}
	}

	/** Runs a script with one key and an integer reply. */
	@Nullable Long script(LuaScript<?> script, byte[] key, byte[]... args) {
		byte[][] keysAndArgs = new byte[args.length + 1][];
		keysAndArgs[0] = key;
		System.arraycopy(args, 0, keysAndArgs, 1, args.length);
		return this.calls.script(script, ScriptOutputType.INTEGER, 1, keysAndArgs);
	}

	SemaphoreScripts scripts() {
		return this.scripts;
	}

	LockMetrics metrics() {
		return this.metrics;
	}

	private void check(String name, int limit, int permits, Duration wait) {
		if (name == null || name.isEmpty() || name.indexOf('}') >= 0) {
			throw new IllegalArgumentException("A semaphore name must be non-empty and must not contain '}', was " + Masking.mask(name));
		}
		this.keys.checkPart(Feature.LOCK, name);
		if (limit < 1) {
			throw new IllegalArgumentException("The limit of semaphore " + Masking.mask(name) + " must be at least 1, was " + limit);
		}
		if (permits < 1 || permits > limit) {
			throw new IllegalArgumentException("The permits asked of semaphore " + Masking.mask(name) + " must be 1 to "
					+ limit + ", was " + permits);
		}
		if (wait == null || wait.isNegative()) {
			throw new IllegalArgumentException("The wait for semaphore " + Masking.mask(name) + " must not be negative, was " + wait);
		}
	}

	/** Stops renewing leases. Held permits come back when their lease ends. */
	@Override
	public void close() {
		this.leases.close();
	}

}
