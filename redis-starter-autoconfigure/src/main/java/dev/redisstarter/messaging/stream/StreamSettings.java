package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.Durations;
import dev.redisstarter.messaging.HandlerCircuit;

import dev.redisstarter.messaging.RetryBackoff;

/**
 * How one stream is written, read and kept.
 *
 * @param maxLength the approximate bound on the stream's length, applied at every add (0: none)
 * @param maxAge entries older than this are trimmed at every add ({@code null}: none)
 * @param maxDeliveries after this many failed deliveries an entry goes to the dead-letter stream
 * @param backoff the wait between deliveries of a failing entry
 * @param claimIdle an entry pending this long on a consumer that does not renew it is claimed by a live one
 * @param claimInterval how often each consumer looks for such entries
 * @param readCount how many entries one read may return
 * @param readBlock how long one read waits for new entries
 * @param deadLetterMaxLength the approximate bound on the dead-letter stream (0: none)
 * @param consumerExpiry a consumer of the group idle this long, with nothing pending, is removed
 * @param circuit when a listener that keeps failing pauses (its consumer-side circuit)
 */
public record StreamSettings(long maxLength, @Nullable Duration maxAge, int maxDeliveries, RetryBackoff backoff,
		Duration claimIdle, Duration claimInterval, int readCount, Duration readBlock, long deadLetterMaxLength,
		Duration consumerExpiry, HandlerCircuit.Settings circuit) {

	/**
	 * 100,000 entries, no age bound, 5 deliveries, default backoff, claimed after 60 s idle, checked every 10 s, the
	 * circuit's defaults.
	 */
	public static final StreamSettings DEFAULTS = new StreamSettings(100_000, null, 5, RetryBackoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1)),
			Duration.ofSeconds(60), Duration.ofSeconds(10), 100, Duration.ofSeconds(2), 10_000, Duration.ofHours(1),
			HandlerCircuit.Settings.DEFAULTS);

	/**
	 * Checked settings.
	 */
	public StreamSettings {
		if (maxLength < 0) {
			throw new IllegalArgumentException("max-length must not be negative, was " + maxLength);
		}
		if (maxAge != null) {
			Durations.requirePositive("max-age", maxAge);
		}
		if (maxDeliveries < 1) {
			throw new IllegalArgumentException("max-deliveries must be at least 1, was " + maxDeliveries);
		}
		Objects.requireNonNull(backoff, "backoff must not be null");
		Durations.requirePositive("claim-idle", claimIdle);
		Durations.requirePositive("claim-interval", claimInterval);
		if (claimInterval.compareTo(claimIdle.dividedBy(2)) > 0) {
			// Entries being handled are renewed once they are half claim-idle old, at the next interval.
			throw new IllegalArgumentException("claim-interval (" + claimInterval + ") must be at most half of claim-idle ("
					+ claimIdle + "), or a live consumer's entries may be claimed from it");
		}
		if (readCount < 1 || readCount > 10_000) {
			throw new IllegalArgumentException("read-count must be between 1 and 10000, was " + readCount);
		}
		Durations.requirePositive("read-block", readBlock);
		if (deadLetterMaxLength < 0) {
			throw new IllegalArgumentException("dead-letter-max-length must not be negative, was " + deadLetterMaxLength);
		}
		Durations.requirePositive("consumer-expiry", consumerExpiry);
		Objects.requireNonNull(circuit, "circuit must not be null");
	}

	/**
	 * Settings with the circuit's defaults ({@link HandlerCircuit.Settings#DEFAULTS}).
	 * @param maxLength see the record
	 * @param maxAge see the record
	 * @param maxDeliveries see the record
	 * @param backoff see the record
	 * @param claimIdle see the record
	 * @param claimInterval see the record
	 * @param readCount see the record
	 * @param readBlock see the record
	 * @param deadLetterMaxLength see the record
	 * @param consumerExpiry see the record
	 */
	public StreamSettings(long maxLength, @Nullable Duration maxAge, int maxDeliveries, RetryBackoff backoff,
			Duration claimIdle, Duration claimInterval, int readCount, Duration readBlock, long deadLetterMaxLength,
			Duration consumerExpiry) {
		this(maxLength, maxAge, maxDeliveries, backoff, claimIdle, claimInterval, readCount, readBlock,
				deadLetterMaxLength, consumerExpiry, HandlerCircuit.Settings.DEFAULTS);
	}

	/**
	 * A copy with another maxLength, for customizers.
	 * @param maxLength the approximate bound on the stream (0: none)
	 * @return the copy
	 */
	public StreamSettings withMaxLength(long maxLength) {
		return new StreamSettings(maxLength, this.maxAge, this.maxDeliveries, this.backoff, this.claimIdle, this.claimInterval, this.readCount, this.readBlock, this.deadLetterMaxLength, this.consumerExpiry, this.circuit);
	}

	/**
	 * A copy with another maxDeliveries, for customizers.
	 * @param maxDeliveries deliveries before an entry is dead-lettered
	 * @return the copy
	 */
	public StreamSettings withMaxDeliveries(int maxDeliveries) {
		return new StreamSettings(this.maxLength, this.maxAge, maxDeliveries, this.backoff, this.claimIdle, this.claimInterval, this.readCount, this.readBlock, this.deadLetterMaxLength, this.consumerExpiry, this.circuit);
	}

	/**
	 * A copy with another backoff, for customizers.
	 * @param backoff the wait between deliveries of a failing entry
	 * @return the copy
	 */
	public StreamSettings withBackoff(RetryBackoff backoff) {
		return new StreamSettings(this.maxLength, this.maxAge, this.maxDeliveries, backoff, this.claimIdle, this.claimInterval, this.readCount, this.readBlock, this.deadLetterMaxLength, this.consumerExpiry, this.circuit);
	}

	/**
	 * A copy with another circuit, for customizers.
	 * @param circuit the listener circuit
	 * @return the copy
	 */
	public StreamSettings withCircuit(HandlerCircuit.Settings circuit) {
		return new StreamSettings(this.maxLength, this.maxAge, this.maxDeliveries, this.backoff, this.claimIdle, this.claimInterval, this.readCount, this.readBlock, this.deadLetterMaxLength, this.consumerExpiry, circuit);
	}

}
