package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.leaderboard.LeaderboardSettings;
import dev.redisstarter.leaderboard.RankOrder;
import dev.redisstarter.leaderboard.TieRule;

/**
 * Configuration of the Redis Starter, under {@code redis.starter}. Connection settings stay Spring Boot's
 * own {@code spring.data.redis.*}. Each value is checked as it is bound, so a bad one stops the application
 * with a message that names the property.
 */
@ConfigurationProperties("redis.starter")
public class RedisStarterProperties {

	/**
	 * Whether the starter's auto-configuration is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Prefix of every key the starter writes. Defaults to the value of 'spring.application.name' followed
	 * by ':', or to no prefix when no application name is set. A ':' is added when it does not end with one
	 * ('shop' is 'shop:'). Must not contain '{', '}' or whitespace.
	 */
	private @Nullable String keyPrefix;

	/**
	 * The most characters of one part of a key taken from a caller (a cache key or tag, a lock name, a rate-limit
	 * key, a queue or stream name). A longer part is refused with InputLimitExceededException (413 in Spring MVC)
	 * before anything is sent to Redis, and only its length is logged.
	 */
	private int maxKeyPartLength = KeyNaming.DEFAULT_MAX_PART_LENGTH;

	/**
	 * What happens at start-up when a name under 'redis.starter' is not one the starter binds (a misspelled key
	 * would otherwise be ignored): 'fail' stops start-up naming it and the nearest valid name; 'warn' logs one WARN
	 * per name. Environment variables are not checked.
	 */
	private UnknownProperties unknownProperties = UnknownProperties.FAIL;

	/**
	 * How the starter behaves when Redis is down, slow or frozen.
	 */
	@NestedConfigurationProperty
	private final ResilienceProperties resilience = new ResilienceProperties();

	/**
	 * Leaderboards.
	 */
	private final Leaderboard leaderboard = new Leaderboard();

	/**
	 * The application's own Redis commands run through the starter (the RedisCalls bean).
	 */
	private final Application application = new Application();

	/**
	 * Rate limiting.
	 */
	@NestedConfigurationProperty
	private final RateLimitProperties ratelimit = new RateLimitProperties();

	/**
	 * Distributed locks.
	 */
	@NestedConfigurationProperty
	private final LockProperties lock = new LockProperties();

	/**
	 * Sessions.
	 */
	@NestedConfigurationProperty
	private final SessionProperties session = new SessionProperties();

	/**
	 * Caching.
	 */
	@NestedConfigurationProperty
	private final CacheProperties cache = new CacheProperties();

	/**
	 * Pub/sub: MessageBus, @RedisListener dispatch, request-reply, @KeyEventListener.
	 */
	@NestedConfigurationProperty
	private final MessagingProperties messaging = new MessagingProperties();

	/**
	 * Streams: StreamPublisher, @StreamListener, dead letters, durable topics (formerly
	 * redis.starter.stream).
	 */
	@NestedConfigurationProperty
	private final StreamsProperties stream = new StreamsProperties();

	/**
	 * Job queues: JobQueue, @JobHandler, dead letters, schedules.
	 */
	@NestedConfigurationProperty
	private final QueueProperties queue = new QueueProperties();

	/**
	 * The operations console: a web page and its JSON API (off by default).
	 */
	@NestedConfigurationProperty
	private final ConsoleProperties console = new ConsoleProperties();

	public boolean isEnabled() {
		return this.enabled;
	}

	public QueueProperties getQueue() {
		return this.queue;
	}

	public ConsoleProperties getConsole() {
		return this.console;
	}

	public StreamsProperties getStream() {
		return this.stream;
	}

	public ResilienceProperties getResilience() {
		return this.resilience;
	}

	public RateLimitProperties getRatelimit() {
		return this.ratelimit;
	}

	public LockProperties getLock() {
		return this.lock;
	}

	public SessionProperties getSession() {
		return this.session;
	}

	public MessagingProperties getMessaging() {
		return this.messaging;
	}

	public CacheProperties getCache() {
		return this.cache;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		if (keyPrefix != null) {
			String problem = KeyNaming.prefixProblem(keyPrefix);
			if (problem != null) {
				throw new InvalidPropertyException("redis.starter.key-prefix", keyPrefix,
						"a prefix that does not contain '{', '}' or whitespace (it " + problem + ")");
			}
			if (!keyPrefix.isEmpty() && !keyPrefix.endsWith(":")) {
				// 'shop' would give keys like shopcache:products:1.
				keyPrefix = keyPrefix + ":";
			}
		}
		this.keyPrefix = keyPrefix;
	}

	public int getMaxKeyPartLength() {
		return this.maxKeyPartLength;
	}

	public void setMaxKeyPartLength(int maxKeyPartLength) {
		if (maxKeyPartLength < 1) {
			throw new InvalidPropertyException(KeyNaming.MAX_PART_LENGTH_PROPERTY, maxKeyPartLength, "at least 1");
		}
		this.maxKeyPartLength = maxKeyPartLength;
	}

	public UnknownProperties getUnknownProperties() {
		return this.unknownProperties;
	}

	public void setUnknownProperties(UnknownProperties unknownProperties) {
		this.unknownProperties = unknownProperties;
	}

	public Leaderboard getLeaderboard() {
		return this.leaderboard;
	}

	public Application getApplication() {
		return this.application;
	}

	/**
	 * The application's own commands, under {@code redis.starter.application}.
	 */
	public static class Application {

		/**
		 * How long each call through the RedisCalls bean waits for Redis before it fails with a
		 * RedisDeadlineExceededException (a QueryTimeoutException); independent of spring.data.redis.timeout.
		 */
		private Duration timeout = Duration.ofMillis(500);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = positive("redis.starter.application.timeout", timeout);
		}

	}

	static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidPropertyException(property, value, "a positive duration");
		}
		return value;
	}

	/**
	 * Leaderboard settings, under {@code redis.starter.leaderboard}.
	 */
	public static class Leaderboard {

		/**
		 * Whether leaderboards are enabled.
		 */
		private boolean enabled = true;

		/**
		 * Which end of a board ranks first: 'highest-first' or 'lowest-first'.
		 */
		private RankOrder order = RankOrder.HIGHEST_FIRST;

		/**
		 * How members with equal scores are ranked: 'competition' (1224), 'dense' (1223) or 'first-reached'
		 * (whoever reached the score first ranks higher; whole-number scores only).
		 */
		private TieRule tieRule = TieRule.COMPETITION;

		/**
		 * How long a daily, weekly or monthly board is kept after its period ends.
		 */
		private Duration retention = Duration.ofDays(30);

		/**
		 * How long each leaderboard call waits for Redis before LeaderboardUnavailableException; independent of
		 * spring.data.redis.timeout.
		 */
		private Duration timeout = Duration.ofMillis(500);

		/**
		 * Time zone in which daily, weekly and monthly periods begin and end.
		 */
		private ZoneId timeZone = ZoneId.of("UTC");

		/**
		 * The most characters of a leaderboard member; longer members are refused with InputLimitExceededException
		 * (413 in Spring MVC), since members are kept without expiry and returned in every top list.
		 */
		private int maxMemberLength = LeaderboardSettings.DEFAULT_MAX_MEMBER_LENGTH;

		/**
		 * Settings of individual boards by board name; what is not set falls back to the values above.
		 */
		private final Map<String, Board> boards = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public RankOrder getOrder() {
			return this.order;
		}

		public void setOrder(RankOrder order) {
			this.order = order;
		}

		public TieRule getTieRule() {
			return this.tieRule;
		}

		public void setTieRule(TieRule tieRule) {
			this.tieRule = tieRule;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = positive("redis.starter.leaderboard.timeout", timeout);
		}

		public int getMaxMemberLength() {
			return this.maxMemberLength;
		}

		public void setMaxMemberLength(int maxMemberLength) {
			if (maxMemberLength < 1) {
				throw new InvalidPropertyException("redis.starter.leaderboard.max-member-length", maxMemberLength, "at least 1");
			}
			this.maxMemberLength = maxMemberLength;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = positive("redis.starter.leaderboard.retention", retention);
		}

		public ZoneId getTimeZone() {
			return this.timeZone;
		}

		public void setTimeZone(ZoneId timeZone) {
			this.timeZone = timeZone;
		}

		public Map<String, Board> getBoards() {
			return this.boards;
		}

	}

	/**
	 * Settings of one board, under {@code redis.starter.leaderboard.boards.<name>}.
	 */
	public static class Board {

		/**
		 * Which end of this board ranks first.
		 */
		private @Nullable RankOrder order;

		/**
		 * How members of this board with equal scores are ranked.
		 */
		private @Nullable TieRule tieRule;

		/**
		 * How long this board's periods are kept after they end.
		 */
		private @Nullable Duration retention;

		public @Nullable RankOrder getOrder() {
			return this.order;
		}

		public void setOrder(@Nullable RankOrder order) {
			this.order = order;
		}

		public @Nullable TieRule getTieRule() {
			return this.tieRule;
		}

		public void setTieRule(@Nullable TieRule tieRule) {
			this.tieRule = tieRule;
		}

		public @Nullable Duration getRetention() {
			return this.retention;
		}

		public void setRetention(@Nullable Duration retention) {
			this.retention = (retention != null) ? positive("redis.starter.leaderboard.boards.*.retention", retention) : null;
		}

	}

}
