package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Every stream's defaults, under {@code redis.starter.stream.defaults}. A class apart from the per-stream
 * {@link StreamsProperties.StreamProperties} (whose unset values fall back to these), so that the defaults are
 * field initializers and the configuration metadata shows them.
 */
public class StreamDefaultsProperties {

	/**
	 * The approximate bound on a stream's length, applied at every add (MAXLEN ~); 0 for none.
	 */
	private long maxLength = 100_000;

	/**
	 * Entries older than this are trimmed at every add (MINID ~, by the server's clock); unset for none.
	 */
	private @Nullable Duration maxAge;

	/**
	 * After this many failed deliveries an entry goes to the dead-letter stream.
	 */
	private int maxDeliveries = 5;

	/**
	 * An entry pending this long on a consumer that does not renew it (stopped, crashed, frozen) is claimed
	 * by a live consumer (XAUTOCLAIM).
	 */
	private Duration claimIdle = Duration.ofSeconds(60);

	/**
	 * How often each consumer looks for entries to claim, renews the entries it is handling and refreshes
	 * its gauges.
	 */
	private Duration claimInterval = Duration.ofSeconds(10);

	/**
	 * How many entries one read (XREADGROUP COUNT) may return; also the largest batch.
	 */
	private int readCount = 100;

	/**
	 * How long one read waits for new entries (XREADGROUP BLOCK).
	 */
	private Duration readBlock = Duration.ofSeconds(2);

	/**
	 * The approximate bound on the dead-letter stream's length; 0 for none.
	 */
	private long deadLetterMaxLength = 10_000;

	/**
	 * A consumer of the group idle this long, with nothing pending, is removed from the group.
	 */
	private Duration consumerExpiry = Duration.ofHours(1);

	/**
	 * The wait between deliveries of a failing entry.
	 */
	@NestedConfigurationProperty
	private final Backoff backoff = new Backoff();

	/**
	 * When a listener that keeps failing pauses (a downstream is down) instead of dead-lettering what it reads.
	 */
	@NestedConfigurationProperty
	private final HandlerCircuitDefaultsProperties circuit = new HandlerCircuitDefaultsProperties();

	public long getMaxLength() {
		return this.maxLength;
	}

	public void setMaxLength(long maxLength) {
		this.maxLength = PropertyChecks.atLeast("redis.starter.stream.defaults.max-length", maxLength, 0);
	}

	public @Nullable Duration getMaxAge() {
		return this.maxAge;
	}

	public void setMaxAge(@Nullable Duration maxAge) {
		this.maxAge = PropertyChecks.positive("redis.starter.stream.defaults.max-age", maxAge);
	}

	public int getMaxDeliveries() {
		return this.maxDeliveries;
	}

	public void setMaxDeliveries(int maxDeliveries) {
		this.maxDeliveries = PropertyChecks.atLeast("redis.starter.stream.defaults.max-deliveries", maxDeliveries, 1);
	}

	public Duration getClaimIdle() {
		return this.claimIdle;
	}

	public void setClaimIdle(Duration claimIdle) {
		this.claimIdle = PropertyChecks.positive("redis.starter.stream.defaults.claim-idle", claimIdle);
	}

	public Duration getClaimInterval() {
		return this.claimInterval;
	}

	public void setClaimInterval(Duration claimInterval) {
		this.claimInterval = PropertyChecks.positive("redis.starter.stream.defaults.claim-interval", claimInterval);
	}

	public int getReadCount() {
		return this.readCount;
	}

	public void setReadCount(int readCount) {
		this.readCount = PropertyChecks.between("redis.starter.stream.defaults.read-count", readCount, 1, 10_000);
	}

	public Duration getReadBlock() {
		return this.readBlock;
	}

	public void setReadBlock(Duration readBlock) {
		this.readBlock = PropertyChecks.positive("redis.starter.stream.defaults.read-block", readBlock);
	}

	public long getDeadLetterMaxLength() {
		return this.deadLetterMaxLength;
	}

	public void setDeadLetterMaxLength(long deadLetterMaxLength) {
		this.deadLetterMaxLength = PropertyChecks.atLeast("redis.starter.stream.defaults.dead-letter-max-length", deadLetterMaxLength, 0);
	}

	public Duration getConsumerExpiry() {
		return this.consumerExpiry;
	}

	public void setConsumerExpiry(Duration consumerExpiry) {
		this.consumerExpiry = PropertyChecks.positive("redis.starter.stream.defaults.consumer-expiry", consumerExpiry);
	}

	public Backoff getBackoff() {
		return this.backoff;
	}

	public HandlerCircuitDefaultsProperties getCircuit() {
		return this.circuit;
	}

	/**
	 * The wait between attempts: initial × multiplier^(attempt - 1), at most max, ± jitter.
	 */
	public static class Backoff {

		/**
		 * The wait after the first failure.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * How much each further failure multiplies the wait; 1 for a fixed backoff.
		 */
		private double multiplier = 2.0;

		/**
		 * The longest wait.
		 */
		private Duration max = Duration.ofMinutes(1);

		/**
		 * How much each wait is spread, as a fraction (0.2: ± 20 %).
		 */
		private double jitter = 0.2;

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = PropertyChecks.atLeastMillis("redis.starter.stream.defaults.backoff.initial", initial, 1);
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = PropertyChecks.multiplier("redis.starter.stream.defaults.backoff.multiplier", multiplier);
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = PropertyChecks.atLeastMillis("redis.starter.stream.defaults.backoff.max", max, 1);
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = PropertyChecks.fraction("redis.starter.stream.defaults.backoff.jitter", jitter, 1.0);
		}
	}
}
