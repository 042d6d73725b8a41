package dev.redisstarter.messaging.pubsub;

import org.jspecify.annotations.Nullable;

/**
 * Dispatch settings of one listener from configuration; what is not set comes from the method's
 * {@link ListenerOptions}, then the defaults.
 *
 * @param concurrency threads, or {@code null}
 * @param queueCapacity waiting messages, or {@code null}
 * @param whenFull the full-queue policy, or {@code null}
 * @param ordered per-channel order, or {@code null}
 */
public record DispatchOverride(@Nullable Integer concurrency, @Nullable Integer queueCapacity,
		@Nullable WhenFull whenFull, @Nullable Boolean ordered) {

	/**
	 * These settings over others.
	 * @param base what is not set here
	 * @return the combined settings
	 * @throws IllegalArgumentException when the combination is invalid
	 */
	public DispatchSettings over(DispatchSettings base) {
		return new DispatchSettings((this.concurrency != null) ? this.concurrency : base.concurrency(),
				(this.queueCapacity != null) ? this.queueCapacity : base.queueCapacity(),
				(this.whenFull != null) ? this.whenFull : base.whenFull(),
				(this.ordered != null) ? this.ordered : base.ordered());
	}

}
