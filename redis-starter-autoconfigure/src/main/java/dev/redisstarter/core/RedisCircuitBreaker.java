package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Whether the starter believes Redis is reachable, shared by every capability on one connection factory.
 * It opens after {@code failureThreshold} calls in a row failed to reach Redis (a connection failure or a
 * deadline that passed); a success in between starts the count again. While open, callers are refused at once
 * ({@link #allowsCalls()} is false), and the owner probes Redis after each cool-down; the first answer closes
 * it. Transitions are logged once each and reported to listeners (metrics, health), never per call.
 *
 * <p>A small class of our own rather than Resilience4j's: the starter needs consecutive failures, a probe that
 * closes it (not trial calls that fail users), and no further dependency in every application.
 */
public final class RedisCircuitBreaker {

	private static final Log logger = LogFactory.getLog(RedisCircuitBreaker.class);

	/** Where the circuit stands. */
	public enum State {

		/** Calls go to Redis. */
		CLOSED,

		/** Redis is believed unreachable: calls are refused without touching the network. */
		OPEN

	}

	private final String name;

	private final int failureThreshold;

	private final Duration openDuration;

	private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicLong openedAt = new AtomicLong();

	private final AtomicLong openings = new AtomicLong();

	private volatile String lastFailure = "";

	private volatile @Nullable RedisFailure lastKind;

	private volatile RedisFailure.@Nullable Kind loggedKind;

	private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * A closed circuit.
	 * @param name what it guards, for logs (such as the Redis address)
	 * @param failureThreshold failures in a row that open it, at least 1
	 * @param openDuration how long it stays open before a probe, positive
	 */
	public RedisCircuitBreaker(String name, int failureThreshold, Duration openDuration) {
		this.name = Objects.requireNonNull(name, "name must not be null");
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
		}
		if (openDuration == null || openDuration.isNegative() || openDuration.isZero()) {
			throw new IllegalArgumentException("openDuration must be positive, was " + openDuration);
		}
		this.failureThreshold = failureThreshold;
		this.openDuration = openDuration;
	}

	/**
	 * Whether calls may go to Redis now.
	 * @return false while open
	 */
	public boolean allowsCalls() {
		return this.state.get() == State.CLOSED;
	}

	/**
	 * The current state.
	 * @return open or closed
	 */
	public State state() {
		return this.state.get();
	}

	/**
	 * How many times it has opened since it was created.
	 * @return the count
	 */
	public long openings() {
		return this.openings.get();
	}

	/**
	 * What the last failure that counted was, for health details.
	 * @return a short description, empty when none
	 */
	public String lastFailure() {
		return this.lastFailure;
	}

	/**
	 * What the last failure that counted was, classified: an authentication or TLS failure is a configuration
	 * error, named as such in logs and health.
	 * @return the failure, or {@code null} when none
	 */
	public @Nullable RedisFailure failure() {
		return this.lastKind;
	}

	/**
	 * Adds a listener told of every transition, on the thread that caused it.
	 * @param listener called with the new state
	 */
	public void onTransition(Consumer<State> listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	/**
	 * Stops telling a listener (a component that closes before the access does).
	 * @param listener a listener given to {@link #onTransition}
	 */
	public void removeTransitionListener(Consumer<State> listener) {
		this.listeners.remove(listener);
	}

	/** Redis answered a call: the failure count starts again. */
	public void recordSuccess() {
		if (this.consecutiveFailures.get() != 0) {
			this.consecutiveFailures.set(0);
		}
	}

	/**
	 * A call could not reach Redis, or its deadline passed.
	 * @param failure what happened
	 * @return whether this failure opened the circuit
	 */
	public boolean recordFailure(Throwable failure) {
		RedisFailure classified = RedisFailure.of(failure);
		this.lastKind = classified;
		this.lastFailure = (classified.kind() == RedisFailure.Kind.UNREACHABLE)
				? failure.getClass().getSimpleName() + ": " + failure.getMessage() : classified.message();
		if (this.state.get() == State.OPEN && classified.kind() != this.loggedKind) {
			// Open already, for another reason (a server restarted with a password): say what it is now.
			this.loggedKind = classified.kind();
			logger.warn(explain(classified));
		}
		if (this.consecutiveFailures.incrementAndGet() >= this.failureThreshold) {
			return open();
		}
		return false;
	}

	/**
	 * Opens the circuit at once (Redis is known to be gone).
	 * @return whether it was closed until now
	 */
	public boolean open() {
		if (!this.state.compareAndSet(State.CLOSED, State.OPEN)) {
			return false;
		}
		this.openedAt.set(System.nanoTime());
		this.openings.incrementAndGet();
		RedisFailure failure = this.lastKind;
		this.loggedKind = (failure != null) ? failure.kind() : RedisFailure.Kind.UNREACHABLE;
		logger.warn(explain(failure));
		notifyListeners(State.OPEN);
		return true;
	}

	/**
	 * A probe was answered: closes the circuit.
	 * @return whether it was open until now
	 */
	public boolean close() {
		this.consecutiveFailures.set(0);
		if (!this.state.compareAndSet(State.OPEN, State.CLOSED)) {
			return false;
		}
		long openMillis = (System.nanoTime() - this.openedAt.get()) / 1_000_000;
		logger.info("Redis at " + this.name + " answers again after " + openMillis + " ms: the starter's calls resume");
		notifyListeners(State.CLOSED);
		return true;
	}

	/** One line: what happened, and for a configuration error what to check. */
	private String explain(@Nullable RedisFailure failure) {
		RedisFailure.Kind kind = (failure != null) ? failure.kind() : RedisFailure.Kind.UNREACHABLE;
		return switch (kind) {
			case AUTHENTICATION -> "Redis at " + this.name + " refuses the starter's credentials (" + this.lastFailure
					+ "): check spring.data.redis.username and spring.data.redis.password (with spring.data.redis.url"
					+ " set, Spring Boot takes them from the URL only) and that the user exists, is on and has that"
					+ " password (ACL LIST). Calls fail fast and apply each capability's policy; the starter tries again"
					+ " with growing pauses (up to " + MAX_CONFIGURATION_PAUSE.toSeconds() + " s) and resumes by itself"
					+ " once the credentials are accepted";
			case TLS -> "The TLS handshake with Redis at " + this.name + " failed (" + this.lastFailure
					+ "): check that the SSL bundle in spring.data.redis.ssl.bundle trusts the server's certificate (or"
					+ " its CA), that the certificate names the host the URL or spring.data.redis.host gives, and that"
					+ " the server listens with TLS on that port. Calls fail fast and apply each capability's policy; the"
					+ " starter tries again with growing pauses (up to " + MAX_CONFIGURATION_PAUSE.toSeconds()
					+ " s) and resumes by itself once the handshake succeeds";
			default -> "Redis at " + this.name + " is unreachable (" + this.lastFailure + "): the starter's calls fail fast"
					+ " and apply each capability's policy until it answers again; probing every " + this.openDuration;
		};
	}

	/**
	 * Whether the last failure that counted is one that waiting does not fix: credentials or a TLS handshake refused.
	 * @return true for an authentication or TLS failure
	 */
	public boolean refusedByConfiguration() {
		RedisFailure failure = this.lastKind;
		return failure != null
				&& (failure.kind() == RedisFailure.Kind.AUTHENTICATION || failure.kind() == RedisFailure.Kind.TLS);
	}

	/**
	 * Where Redis is, as logs name it (host and port, the Sentinel master or the Cluster's seed nodes).
	 * @return the target
	 */
	public String target() {
		return this.name;
	}

	/** The longest pause between attempts while the credentials or the certificate are refused. */
	static final Duration MAX_CONFIGURATION_PAUSE = Duration.ofSeconds(30);

	/**
	 * How long to wait before the next probe: the open duration, or, while the credentials or the TLS handshake
	 * are refused (which waiting does not fix), twice as long after each refused attempt, up to 30 s, so that a
	 * wrong password does not make a connection attempt every second for ever.
	 * @param refusedAttempts refused attempts since the circuit opened
	 * @return the pause
	 */
	public Duration probePause(int refusedAttempts) {
		RedisFailure failure = this.lastKind;
		if (failure == null || failure.kind() == RedisFailure.Kind.UNREACHABLE || failure.kind() == RedisFailure.Kind.PERMISSION) {
			return this.openDuration;
		}
		long millis = this.openDuration.toMillis() << Math.min(Math.max(refusedAttempts, 0), 16);
		return Duration.ofMillis(Math.max(this.openDuration.toMillis(), Math.min(millis, MAX_CONFIGURATION_PAUSE.toMillis())));
	}

	private void notifyListeners(State newState) {
		for (Consumer<State> listener : this.listeners) {
			try {
				listener.accept(newState);
			}
			catch (RuntimeException ex) {
				logger.warn("A circuit listener failed: " + ex, ex);
			}
		}
	}

	@Override
	public String toString() {
		return "RedisCircuitBreaker[" + this.name + ", " + this.state.get() + "]";
	}

}
