package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code redis.starter.stream.*}: StreamPublisher, @StreamListener, dead letters, durable topics.
 * The stream settings here are every stream's defaults; {@code named.<stream>.*} overrides them for one stream.
 */
public class StreamsProperties {

	/**
	 * Whether the starter serves streams (StreamPublisher, @StreamListener, DeadLetters).
	 */
	private boolean enabled = true;

	/**
	 * How long each stream command (add, acknowledgement, claim, dead-letter move) waits for Redis; independent
	 * of spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(500);

	/**
	 * How many addAsync calls may wait for Redis's reply at once; a call beyond that waits for one of them to
	 * finish (at most the streams timeout, then its future fails), so that a producer cannot outrun Redis without bound.
	 */
	private int maxAsyncInFlight = 1000;

	/**
	 * How many entries a @StreamListener handles at once in this instance, when the annotation sets none.
	 */
	private int concurrency = 1;

	/**
	 * The consumer group of listeners that name none. Defaults to spring.application.name, else 'default'.
	 */
	private @Nullable String group;

	/**
	 * This instance's stable name: durable-topic groups are '<group>:<instance-id>', so an instance that restarts
	 * with the same id replays what it missed. Defaults to the HOSTNAME environment variable, else the host name.
	 * Two instances on one host need different ids.
	 */
	private @Nullable String instanceId;

	/**
	 * On shutdown, how long entries being handled may finish; what does not finish stays pending for another
	 * consumer.
	 */
	private Duration shutdownWait = Duration.ofSeconds(10);

	/**
	 * A durable-topic instance not seen for this long has its group removed (it no longer holds back trimming).
	 */
	private Duration instanceExpiry = Duration.ofDays(1);

	/**
	 * Every stream's defaults.
	 */
	@NestedConfigurationProperty
	private final StreamDefaultsProperties defaults = new StreamDefaultsProperties();

	/**
	 * Settings of individual streams by name; what is not set comes from 'defaults'.
	 */
	private final Map<String, StreamProperties> named = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getMaxAsyncInFlight() {
		return this.maxAsyncInFlight;
	}

	public void setMaxAsyncInFlight(int maxAsyncInFlight) {
		if (maxAsyncInFlight < 1) {
			throw new InvalidPropertyException("redis.starter.stream.max-async-in-flight", maxAsyncInFlight, "at least 1");
		}
		this.maxAsyncInFlight = maxAsyncInFlight;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = RedisStarterProperties.positive("redis.starter.stream.timeout", timeout);
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = PropertyChecks.between("redis.starter.stream.concurrency", concurrency, 1, 256);
	}

	public @Nullable String getGroup() {
		return this.group;
	}

	public void setGroup(@Nullable String group) {
		this.group = group;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public Duration getShutdownWait() {
		return this.shutdownWait;
	}

	public void setShutdownWait(Duration shutdownWait) {
		this.shutdownWait = RedisStarterProperties.positive("redis.starter.stream.shutdown-wait", shutdownWait);
	}

	public Duration getInstanceExpiry() {
		return this.instanceExpiry;
	}

	public void setInstanceExpiry(Duration instanceExpiry) {
		this.instanceExpiry = RedisStarterProperties.positive("redis.starter.stream.instance-expiry", instanceExpiry);
	}

	public StreamDefaultsProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, StreamProperties> getNamed() {
		return this.named;
	}

	/**
	 * One stream's settings (every field optional in 'named'; the defaults have them all).
	 */
	public static class StreamProperties {

		/**
		 * The approximate bound on the stream's length, applied at every add (MAXLEN ~); 0 for none.
		 */
		private @Nullable Long maxLength;

		/**
		 * Entries older than this are trimmed at every add (MINID ~, by the server's clock); unset for none.
		 */
		private @Nullable Duration maxAge;

		/**
		 * After this many failed deliveries an entry goes to the dead-letter stream.
		 */
		private @Nullable Integer maxDeliveries;

		/**
		 * An entry pending this long on a consumer that does not renew it (stopped, crashed, frozen) is claimed
		 * by a live consumer (XAUTOCLAIM).
		 */
		private @Nullable Duration claimIdle;

		/**
		 * How often each consumer looks for entries to claim, renews the entries it is handling and refreshes
		 * its gauges.
		 */
		private @Nullable Duration claimInterval;

		/**
		 * How many entries one read (XREADGROUP COUNT) may return; also the largest batch.
		 */
		private @Nullable Integer readCount;

		/**
		 * How long one read waits for new entries (XREADGROUP BLOCK).
		 */
		private @Nullable Duration readBlock;

		/**
		 * The approximate bound on the dead-letter stream's length; 0 for none.
		 */
		private @Nullable Long deadLetterMaxLength;

		/**
		 * A consumer of the group idle this long, with nothing pending, is removed from the group.
		 */
		private @Nullable Duration consumerExpiry;

		/**
		 * The wait between deliveries of a failing entry.
		 */
		@NestedConfigurationProperty
		private final BackoffProperties backoff = new BackoffProperties();

		/**
		 * When a listener that keeps failing pauses (a downstream is down) instead of dead-lettering what it reads.
		 */
		@NestedConfigurationProperty
		private final HandlerCircuitProperties circuit = new HandlerCircuitProperties();

		public @Nullable Long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(@Nullable Long maxLength) {
			this.maxLength = PropertyChecks.atLeast("redis.starter.stream.*.max-length", maxLength, 0);
		}

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = PropertyChecks.positive("redis.starter.stream.*.max-age", maxAge);
		}

		public @Nullable Integer getMaxDeliveries() {
			return this.maxDeliveries;
		}

		public void setMaxDeliveries(@Nullable Integer maxDeliveries) {
			this.maxDeliveries = PropertyChecks.atLeast("redis.starter.stream.*.max-deliveries", maxDeliveries, 1);
		}

		public @Nullable Duration getClaimIdle() {
			return this.claimIdle;
		}

		public void setClaimIdle(@Nullable Duration claimIdle) {
			this.claimIdle = PropertyChecks.positive("redis.starter.stream.*.claim-idle", claimIdle);
		}

		public @Nullable Duration getClaimInterval() {
			return this.claimInterval;
		}

		public void setClaimInterval(@Nullable Duration claimInterval) {
			this.claimInterval = PropertyChecks.positive("redis.starter.stream.*.claim-interval", claimInterval);
		}

		public @Nullable Integer getReadCount() {
			return this.readCount;
		}

		public void setReadCount(@Nullable Integer readCount) {
			this.readCount = PropertyChecks.between("redis.starter.stream.*.read-count", readCount, 1, 10_000);
		}

		public @Nullable Duration getReadBlock() {
			return this.readBlock;
		}

		public void setReadBlock(@Nullable Duration readBlock) {
			this.readBlock = PropertyChecks.positive("redis.starter.stream.*.read-block", readBlock);
		}

		public @Nullable Long getDeadLetterMaxLength() {
			return this.deadLetterMaxLength;
		}

		public void setDeadLetterMaxLength(@Nullable Long deadLetterMaxLength) {
			this.deadLetterMaxLength = PropertyChecks.atLeast("redis.starter.stream.*.dead-letter-max-length", deadLetterMaxLength, 0);
		}

		public @Nullable Duration getConsumerExpiry() {
			return this.consumerExpiry;
		}

		public void setConsumerExpiry(@Nullable Duration consumerExpiry) {
			this.consumerExpiry = PropertyChecks.positive("redis.starter.stream.*.consumer-expiry", consumerExpiry);
		}

		public BackoffProperties getBackoff() {
			return this.backoff;
		}

		public HandlerCircuitProperties getCircuit() {
			return this.circuit;
		}

	}

	/**
	 * Retry backoff: initial × multiplier^(deliveries-1), at most max, spread by ±jitter.
	 */
	public static class BackoffProperties {

		/**
		 * The wait after the first failure.
		 */
		private @Nullable Duration initial;

		/**
		 * How much each further failure multiplies the wait (at least 1).
		 */
		private @Nullable Double multiplier;

		/**
		 * The longest wait.
		 */
		private @Nullable Duration max;

		/**
		 * The random spread of each wait, from 0 to 1 (0.2 is ±20%).
		 */
		private @Nullable Double jitter;

		public @Nullable Duration getInitial() {
			return this.initial;
		}

		public void setInitial(@Nullable Duration initial) {
			this.initial = PropertyChecks.atLeastMillis("redis.starter.stream.*.backoff.initial", initial, 1);
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = PropertyChecks.multiplier("redis.starter.stream.*.backoff.multiplier", multiplier);
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = PropertyChecks.atLeastMillis("redis.starter.stream.*.backoff.max", max, 1);
		}

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = PropertyChecks.fraction("redis.starter.stream.*.backoff.jitter", jitter, 1.0);
		}

	}

}
