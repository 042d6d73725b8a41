package dev.redisstarter.messaging;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.redisstarter.core.Durations;

/**
 * A consumer-side circuit for stream listeners and job handlers: when the handler keeps failing on one message after
 * another (a database or service it calls is down), the consumer stops taking messages and waits, instead of
 * spending every message's deliveries and dead-lettering the whole backlog during an outage.
 *
 * <p>It opens after the handler failed on {@code failureThreshold} distinct messages in a row (failures of the same
 * message, such as one poison message retried, count once; any success starts the count again). While open the
 * consumer reads or takes nothing new, messages already read wait, and <em>no message is dead-lettered</em>. After
 * {@code pause} one message is let through as a probe ({@link #tryStart()} answers true once): its success closes the
 * circuit, its failure opens it again for twice the previous pause, at most {@code maxPause}; a probe still running
 * after {@code maxPause} (a hung handler) lets another one start. A handler that fails on
 * every message (an outage, or a bug in the handler) therefore pauses its consumer until it works again; the messages
 * keep their place. Transitions are logged once each.
 *
 * <p>Thread-safe; one per consumer (listener method or job handler).
 */
public final class HandlerCircuit {

	private static final Log logger = LogFactory.getLog(HandlerCircuit.class);

	/** Where the circuit stands. */
	public enum State {

		/** Messages are handled. */
		CLOSED,

		/** The handler kept failing: nothing new is started until the pause ends. */
		OPEN,

		/** The pause ended and one probe message is being handled. */
		PROBING

	}

	/**
	 * When a consumer pauses, and for how long.
	 *
	 * @param failureThreshold how many distinct messages in a row must fail to open the circuit (0: never opens)
	 * @param pause the first pause
	 * @param maxPause the longest pause (each failed probe doubles it)
	 */
	public record Settings(int failureThreshold, Duration pause, Duration maxPause) {

		/** Opens after 10 distinct failures in a row; pauses 5 s, doubling up to 1 min. */
		public static final Settings DEFAULTS = new Settings(10, Duration.ofSeconds(5), Duration.ofMinutes(1));

		/** Never opens. */
		public static final Settings DISABLED = new Settings(0, Duration.ofSeconds(5), Duration.ofMinutes(1));

		/**
		 * Checked values.
		 * @param failureThreshold 0 or more
		 * @param pause positive
		 * @param maxPause at least {@code pause}
		 */
		public Settings {
			if (failureThreshold < 0) {
				throw new IllegalArgumentException("circuit failure-threshold must not be negative, was " + failureThreshold);
			}
			Durations.requirePositive("circuit pause", pause);
			Durations.requirePositive("circuit max-pause", maxPause);
			if (maxPause.compareTo(pause) < 0) {
				throw new IllegalArgumentException(
						"circuit max-pause (" + maxPause + ") must not be below its pause (" + pause + ")");
			}
		}

		/**
		 * Whether the circuit can open at all.
		 * @return false when the threshold is 0
		 */
		public boolean enabled() {
			return this.failureThreshold > 0;
		}

	}

	private final String name;

	private final Settings settings;

	private final LongSupplier nanoClock;

	private State state = State.CLOSED;

	private final Set<String> failedInARow = new HashSet<>();

	private long reopensAt;

	private long currentPauseNanos;

	private long probeStartedAt;

	private long openings;

	private String lastError = "";

	/**
	 * A closed circuit on the system clock.
	 * @param name what it guards, for logs ("stream listener OrderHandler.handle")
	 * @param settings when it opens
	 */
	public HandlerCircuit(String name, Settings settings) {
		this(name, settings, System::nanoTime);
	}

	/**
	 * A closed circuit.
	 * @param name what it guards, for logs
	 * @param settings when it opens
	 * @param nanoClock monotonic time in nanoseconds
	 */
	public HandlerCircuit(String name, Settings settings, LongSupplier nanoClock) {
		this.name = Objects.requireNonNull(name, "name must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock must not be null");
	}

	/**
	 * Whether a message may be handled now. Closed: yes. Open: no until the pause ends; then yes exactly once (the
	 * probe) and the circuit is {@link State#PROBING} until that message's outcome. Probing: no.
	 * @return whether the caller may invoke the handler
	 */
	public synchronized boolean tryStart() {
		if (this.state == State.CLOSED) {
			return true;
		}
		if (probeDue()) {
			this.state = State.PROBING;
			this.probeStartedAt = this.nanoClock.getAsLong();
			return true;
		}
		return false;
	}

	/**
	 * Whether a probe may start: the pause is over, or a probe has run longer than {@code maxPause} (a handler that
	 * hangs must not keep its consumer from ever probing again).
	 */
	private boolean probeDue() {
		long now = this.nanoClock.getAsLong();
		return (this.state == State.OPEN && now - this.reopensAt >= 0)
				|| (this.state == State.PROBING && now - this.probeStartedAt >= this.settings.maxPause().toNanos());
	}

	/**
	 * Whether a reader should fetch new messages: when closed, or when open and its pause is over (for the probe).
	 * @return false while the consumer should wait ({@link #millisUntilProbe()})
	 */
	public synchronized boolean allowsFetching() {
		return this.state == State.CLOSED || probeDue();
	}

	/**
	 * How long until a probe may start.
	 * @return 0 when closed or when the pause is over; the rest of the pause otherwise (a probe in flight: the pause)
	 */
	public synchronized long millisUntilProbe() {
		return switch (this.state) {
			case CLOSED -> 0;
			case OPEN -> Math.max(0, Duration.ofNanos(this.reopensAt - this.nanoClock.getAsLong()).toMillis());
			case PROBING -> Math.max(1, Duration.ofNanos(this.currentPauseNanos).toMillis());
		};
	}

	/**
	 * Whether a failed message may be dead-lettered now: only while the circuit is closed (while it is open or
	 * probing, the failure may be the outage's, not the message's).
	 * @return true when closed
	 */
	public synchronized boolean allowsGivingUp() {
		return this.state == State.CLOSED;
	}

	/** A message was handled: the circuit closes (the handler works) and the count starts again. */
	public synchronized void succeeded() {
		this.failedInARow.clear();
		if (this.state != State.CLOSED) {
			logger.info(this.name + ": the handler works again, consuming resumes (circuit closed)");
			this.state = State.CLOSED;
			this.currentPauseNanos = 0;
		}
	}

	/**
	 * A message failed.
	 * @param messageId the message (a stream entry or job id), so that one message retried counts once
	 * @param error what it failed with
	 * @return whether the circuit is open (or probing) now
	 */
	public synchronized boolean failed(String messageId, Throwable error) {
		if (!this.settings.enabled()) {
			return false;
		}
		this.lastError = error.getClass().getName() + ": " + error.getMessage();
		if (this.state == State.PROBING) {
			open(Math.min(this.currentPauseNanos * 2, this.settings.maxPause().toNanos()));
			logger.warn(this.name + ": the probe failed too; paused for " + Duration.ofNanos(this.currentPauseNanos).toMillis()
					+ " ms: " + this.lastError);
			return true;
		}
		if (this.state == State.OPEN) {
			// A message that started before the circuit opened: the circuit stays as it is.
			return true;
		}
		if (this.failedInARow.size() < this.settings.failureThreshold()) {
			this.failedInARow.add(messageId);
		}
		if (this.failedInARow.size() >= this.settings.failureThreshold()) {
			open(this.settings.pause().toNanos());
			this.openings++;
			logger.warn(this.name + ": the handler failed on " + this.settings.failureThreshold()
					+ " messages in a row; consuming pauses for " + this.settings.pause().toMillis()
					+ " ms (circuit open, nothing is dead-lettered while it is), then one message probes: " + this.lastError);
			return true;
		}
		return false;
	}

	private void open(long pauseNanos) {
		this.state = State.OPEN;
		this.currentPauseNanos = pauseNanos;
		this.reopensAt = this.nanoClock.getAsLong() + pauseNanos;
		this.failedInARow.clear();
	}

	/**
	 * Where it stands now.
	 * @return the state
	 */
	public synchronized State state() {
		return this.state;
	}

	/**
	 * How many times it opened after failures in a row (failed probes not counted).
	 * @return the count since start
	 */
	public synchronized long openings() {
		return this.openings;
	}

	/**
	 * The error of the last failure it counted, for logs and the Actuator endpoints.
	 * @return class and message, or empty
	 */
	public synchronized String lastError() {
		return this.lastError;
	}

	/**
	 * Its settings.
	 * @return the settings
	 */
	public Settings settings() {
		return this.settings;
	}

}
