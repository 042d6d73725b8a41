package dev.redisstarter.leaderboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * A board on a sorted set. Keys (all in one Cluster slot, hash-tagged by the board id):
 * <ul>
 * <li>{@code <prefix>lb:{<id>}}: sorted set, member to stored score;</li>
 * <li>{@code <prefix>lb:{<id>}:distinct} and {@code <prefix>lb:{<id>}:counts}: on {@link TieRule#DENSE} boards
 * only, a sorted set of the distinct stored scores and a hash of how many members hold each.</li>
 * </ul>
 * Periodic boards' keys expire at the end of the period plus the retention; all-time boards' keys do not
 * expire. Writes run {@code write-score.lua} or {@code remove-members.lua}; ranks and ranges run
 * {@code rank.lua} and {@code range.lua}; {@link #score} is {@code ZSCORE}, {@link #size} is {@code ZCARD}.
 */
final class RedisLeaderboard implements Leaderboard {

	/** Members one trimming call removes at most, so that one call holds Redis for a few milliseconds only. */
	static final int TRIM_CHUNK = 1000;

	private final String id;

	private final RedisCalls calls;

	private final LeaderboardScripts scripts;

	private final List<String> keys;

	/** The keys as sent, encoded once: every call sends some of them. */
	private final byte[][] keyBytes;

	private final LeaderboardSettings settings;

	private final ScoreEncoding encoding;

	private final long expireAtMillis;

	RedisLeaderboard(String id, List<String> keys, RedisCalls calls, LeaderboardScripts scripts,
			LeaderboardSettings settings, ScoreEncoding encoding, long expireAtMillis) {
		this.id = id;
		this.keys = List.copyOf(keys);
		this.keyBytes = new byte[this.keys.size()][];
		for (int i = 0; i < this.keyBytes.length; i++) {
			this.keyBytes[i] = utf8(this.keys.get(i));
		}
		this.calls = calls;
		this.scripts = scripts;
		this.settings = settings;
		this.encoding = encoding;
		this.expireAtMillis = expireAtMillis;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public void add(String member, double score) {
		write(member, score, "set", "score");
	}

	@Override
	public double increment(String member, double delta) {
		return Double.parseDouble((String) write(member, delta, "incr", "increment").get(0));
	}

	@Override
	public boolean addIfHigher(String member, double score) {
		return ((Long) write(member, score, "best", "score").get(1)) == 1L;
	}

	private List<?> write(String member, double value, String mode, String what) {
		checkMember(member);
		this.encoding.check(this.id, what, value);
		List<?> result = list(this.scripts.writeScore(), this.keys.size(), member, Double.toString(value), mode,
				tieRule(), direction(), Integer.toString(this.encoding.bits()),
				Long.toString(this.encoding.baseEpochSecond()), Long.toString(this.expireAtMillis),
				Long.toString((long) this.encoding.maxScore()));
		if (mode.equals("incr") || ((Long) result.get(1)) == -1L) {
			// The script refused an out-of-range result before writing it; this names the limit.
			this.encoding.check(this.id, "resulting score", Double.parseDouble((String) result.get(0)));
		}
		return result;
	}

	@Override
	public boolean remove(String member) {
		checkMember(member);
		return removeMembers("member", member) > 0;
	}

	@Override
	public long trim(int keepTop) {
		if (keepTop < 0) {
			throw new IllegalArgumentException("keepTop must not be negative, was " + keepTop);
		}
		return removeMembers("below-top", Integer.toString(keepTop));
	}

	private long removeMembers(String what, String argument) {
		if (!what.equals("below-top")) {
			Long removed = script(this.scripts.removeMembers(), ScriptOutputType.INTEGER, this.keys.size(), what, argument,
					tieRule(), direction(), "1");
			return (removed != null) ? removed : 0;
		}
		// The excess is read once: members added meanwhile are left to the next trim, so this always ends.
		long excess = size() - Long.parseLong(argument);
		long total = 0;
		while (total < excess) {
			long chunk = Math.min(TRIM_CHUNK, excess - total);
			Long removed = script(this.scripts.removeMembers(), ScriptOutputType.INTEGER, this.keys.size(), what, argument,
					tieRule(), direction(), Long.toString(chunk));
			long count = (removed != null) ? removed : 0;
			if (count == 0) {
				break;
			}
			total += count;
		}
		return total;
	}

	@Override
	public OptionalDouble score(String member) {
		checkMember(member);
		Double stored = call(() -> this.calls.call((redis) -> redis.zscore(this.keyBytes[0], utf8(member))));
		return (stored != null) ? OptionalDouble.of(this.encoding.decode(stored)) : OptionalDouble.empty();
	}

	@Override
	public long size() {
		Long size = call(() -> this.calls.call((redis) -> redis.zcard(this.keyBytes[0])));
		return (size != null) ? size : 0;
	}

	@Override
	public OptionalLong rank(String member) {
		return entry(member).map((entry) -> OptionalLong.of(entry.rank())).orElse(OptionalLong.empty());
	}

	@Override
	public Optional<LeaderboardEntry> entry(String member) {
		checkMember(member);
		List<?> result = list(this.scripts.rank(), 2, member, tieRule(), direction());
		if (result == null || result.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new LeaderboardEntry((Long) result.get(0), member, decode(result.get(1))));
	}

	@Override
	public List<LeaderboardEntry> top(int n) {
		return page(1, n);
	}

	@Override
	public List<LeaderboardEntry> page(int pageNumber, int pageSize) {
		if (pageNumber < 1 || pageSize < 1) {
			throw new IllegalArgumentException(
					"pageNumber and pageSize must be at least 1, were " + pageNumber + " and " + pageSize);
		}
		long start = (long) (pageNumber - 1) * pageSize;
		return range("position", Long.toString(start), pageSize);
	}

	@Override
	public List<LeaderboardEntry> around(String member, int radius) {
		checkMember(member);
		if (radius < 0) {
			throw new IllegalArgumentException("radius must not be negative, was " + radius);
		}
		return range("around", member, radius);
	}

	private List<LeaderboardEntry> range(String mode, String from, int size) {
		List<?> result = list(this.scripts.range(), 2, tieRule(), direction(), mode,
				from, Integer.toString(size));
		if (result == null || result.isEmpty()) {
			return List.of();
		}
		long firstPosition = (Long) result.get(0);
		long rank = (Long) result.get(1);
		List<LeaderboardEntry> entries = new ArrayList<>((result.size() - 2) / 2);
		String previous = null;
		for (int i = 2; i < result.size(); i += 2) {
			int index = (i - 2) / 2;
			String stored = (String) result.get(i + 1);
			if (previous != null) {
				rank = nextRank(rank, firstPosition + index, !stored.equals(previous));
			}
			entries.add(new LeaderboardEntry(rank, (String) result.get(i), decode(stored)));
			previous = stored;
		}
		return entries;
	}

	private long nextRank(long previousRank, long position, boolean scoreChanged) {
		return switch (this.settings.tieRule()) {
			case FIRST_REACHED -> previousRank + 1;
			case COMPETITION -> scoreChanged ? position + 1 : previousRank;
			case DENSE -> scoreChanged ? previousRank + 1 : previousRank;
		};
	}

	private double decode(@Nullable Object stored) {
		return this.encoding.decode(Double.parseDouble(String.valueOf(stored)));
	}

	/** Runs a script with an array reply; its strings come back as {@code String}s, its integers as {@code Long}s. */
	private List<Object> list(LuaScript<?> script, int keyCount, String... args) {
		List<Object> reply = script(script, ScriptOutputType.MULTI, keyCount, args);
		List<Object> decoded = new ArrayList<>(reply.size());
		for (Object item : reply) {
			decoded.add((item instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : item);
		}
		return decoded;
	}

	/** Runs a script with the board's first {@code keyCount} keys. */
	private <T> T script(LuaScript<?> script, ScriptOutputType type, int keyCount, String... args) {
		byte[][] keysAndArgs = new byte[keyCount + args.length][];
		System.arraycopy(this.keyBytes, 0, keysAndArgs, 0, keyCount);
		for (int i = 0; i < args.length; i++) {
			keysAndArgs[keyCount + i] = utf8(args[i]);
		}
		return call(() -> this.calls.script(script, type, keyCount, keysAndArgs));
	}

	/** Redis failures become {@link LeaderboardUnavailableException}s naming the board. */
	private <T> T call(Supplier<T> redisCall) {
		try {
			return redisCall.get();
		}
		catch (DataAccessException ex) {
			throw new LeaderboardUnavailableException(this.id, ex);
		}
	}

	private String tieRule() {
		return this.settings.tieRule().scriptName();
	}

	private String direction() {
		return Integer.toString(this.settings.order().direction());
	}

	private void checkMember(String member) {
		if (member == null || member.isEmpty()) {
			throw new IllegalArgumentException("member must not be empty (board " + Masking.mask(this.id) + ")");
		}
		if (member.length() > this.settings.maxMemberLength()) {
			// Its length only: the member is the caller's data.
			throw new InputLimitExceededException("A leaderboard member", member.length(), this.settings.maxMemberLength(),
					"characters", "redis.starter.leaderboard.max-member-length");
		}
	}

	@Override
	public String toString() {
		return "Leaderboard[" + this.id + ", " + this.settings + "]";
	}

}
