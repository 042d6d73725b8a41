package dev.redisstarter.leaderboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;

/**
 * {@link Leaderboards} on Redis sorted sets. Settings come per board name, falling back to the defaults;
 * periods are cut in the configured time zone by the injected {@link Clock}, so every instance whose clock
 * agrees writes to the same period's board.
 */
public final class RedisLeaderboards implements Leaderboards {

	/** How long a leaderboard call waits for Redis by default ({@code redis.starter.leaderboard.timeout}). */
	public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(500);

	private final RedisCalls calls;

	private final KeyNaming keys;

	private final LeaderboardSettings defaults;

	private final Map<String, LeaderboardSettings> boards;

	private final ZoneId zone;

	private final Clock clock;

	private final LeaderboardScripts scripts = LeaderboardScripts.load();

	/**
	 * Leaderboards with per-board settings.
	 * @param redis the template to run commands through
	 * @param keys the key naming
	 * @param defaults settings of boards not named in {@code boards}
	 * @param boards settings by board name
	 * @param zone the time zone in which periods begin and end
	 * @param clock the clock that decides the current period
	 */
	public RedisLeaderboards(StringRedisTemplate redis, KeyNaming keys, LeaderboardSettings defaults,
			Map<String, LeaderboardSettings> boards, ZoneId zone, Clock clock) {
		this(RedisAccess.of(Objects.requireNonNull(redis, "redis must not be null").getRequiredConnectionFactory())
			.calls(Feature.LEADERBOARD, DEFAULT_DEADLINE), keys, defaults, boards, zone, clock);
	}

	/**
	 * Boards on the starter's shared access.
	 * @param calls the leaderboard calls, each bounded by the leaderboard deadline
	 * @param keys the key naming
	 * @param defaults settings of boards not named in {@code boards}
	 * @param boards settings per board name
	 * @param zone the time zone periods are computed in
	 * @param clock what "now" is for periodic boards
	 */
	public RedisLeaderboards(RedisCalls calls, KeyNaming keys, LeaderboardSettings defaults,
			Map<String, LeaderboardSettings> boards, ZoneId zone, Clock clock) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
		this.boards = Map.copyOf(boards);
		this.boards.keySet().forEach(RedisLeaderboards::checkName);
		this.zone = Objects.requireNonNull(zone, "zone must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * Leaderboards with default settings, periods in UTC.
	 * @param redis the template to run commands through
	 * @param keys the key naming
	 */
	public RedisLeaderboards(StringRedisTemplate redis, KeyNaming keys) {
		this(redis, keys, LeaderboardSettings.DEFAULTS, Map.of(), ZoneId.of("UTC"), Clock.systemUTC());
	}

	@Override
	public Leaderboard get(String name) {
		checkName(name);
		LeaderboardSettings settings = settings(name);
		ScoreEncoding encoding = (settings.tieRule() == TieRule.FIRST_REACHED)
				? new ScoreEncoding(ScoreEncoding.ALL_TIME_BITS, ScoreEncoding.ALL_TIME_BASE) : ScoreEncoding.PLAIN;
		return board(name, settings, encoding, 0);
	}

	@Override
	public Leaderboard get(String name, Period period) {
		return get(name, period, this.clock.instant());
	}

	@Override
	public Leaderboard get(String name, Period period, Instant at) {
		checkName(name);
		Objects.requireNonNull(period, "period must not be null");
		LeaderboardSettings settings = settings(name);
		Period.PeriodWindow window = period.windowAt(at, this.zone);
		ScoreEncoding encoding = (settings.tieRule() == TieRule.FIRST_REACHED)
				? new ScoreEncoding(ScoreEncoding.PERIODIC_BITS, window.start().getEpochSecond()) : ScoreEncoding.PLAIN;
		long expireAt = window.end().plus(settings.retention()).toEpochMilli();
		return board(name + ":" + window.id(), settings, encoding, expireAt);
	}

	private Leaderboard board(String id, LeaderboardSettings settings, ScoreEncoding encoding, long expireAt) {
		List<String> boardKeys = List.of(this.keys.hashTagged(Feature.LEADERBOARD, id),
				this.keys.hashTagged(Feature.LEADERBOARD, id, "distinct"),
				this.keys.hashTagged(Feature.LEADERBOARD, id, "counts"));
		return new RedisLeaderboard(id, boardKeys, this.calls, this.scripts, settings, encoding, expireAt);
	}

	private LeaderboardSettings settings(String name) {
		return this.boards.getOrDefault(name, this.defaults);
	}

	private static void checkName(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("A board name must not be empty");
		}
		if (name.length() > 200) {
			// Its length only: the name is the caller's data.
			throw new InputLimitExceededException("A board name", name.length(), 200, "characters", "a fixed bound");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '{' || c == '}' || Character.isWhitespace(c) || Character.isISOControl(c)) {
				// Not echoed: the name is the caller's data (an answer or a log line would carry it).
				throw new IllegalArgumentException("A board name must not contain braces, whitespace or control"
						+ " characters (character " + (i + 1) + " of " + name.length() + ")");
			}
		}
	}

}
