package dev.redisstarter.benchmarks;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.leaderboard.Leaderboard;
import dev.redisstarter.leaderboard.LeaderboardEntry;
import dev.redisstarter.leaderboard.RedisLeaderboards;

/**
 * Leaderboard calls through the public API, each against raw Lettuce sending the same script with the same keys and
 * arguments (what the starter's call costs on top of the client), and Redisson's scored sorted set doing the nearest
 * thing (an increment, a reverse rank, the top ten). Each thread has a board of its own with 1,000 members (a
 * competition board, highest first: the default).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LeaderboardBenchmark {

	static final KeyNaming KEYS = new KeyNaming("bench:");

	private static final int MEMBERS = 1_000;

	private final AtomicInteger threads = new AtomicInteger();

	private BenchmarkRedis redis;

	private LettuceConnectionFactory factory;

	private RedisLeaderboards boards;

	private RedisClient client;

	private StatefulRedisConnection<String, String> raw;

	private RedissonClient redisson;

	private String writeSha;

	private String rankSha;

	private String rangeSha;

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.factory = this.redis.connectionFactory();
		this.boards = new RedisLeaderboards(new StringRedisTemplate(this.factory), KEYS);
		this.client = RedisClient.create(RedisURI.create(this.redis.url()));
		this.raw = this.client.connect(StringCodec.UTF8);
		this.writeSha = load("write-score.lua");
		this.rankSha = load("rank.lua");
		this.rangeSha = load("range.lua");
		this.redisson = this.redis.redisson();
	}

	private String load(String script) {
		return this.raw.sync().scriptLoad(LuaScript.load("dev/redisstarter/leaderboard/" + script, List.class).text());
	}

	@TearDown
	public void tearDown() {
		this.redisson.shutdown();
		this.raw.close();
		this.client.shutdown();
		this.factory.destroy();
		this.redis.close();
	}

	/** Each thread's boards: the starter's, a raw copy under keys of the same shape, and Redisson's. */
	@State(Scope.Thread)
	public static class PerThread {

		Leaderboard board;

		String[] rawKeys;

		String[] rawRankKeys;

		RScoredSortedSet<String> redissonBoard;

		@Setup
		public void setUp(LeaderboardBenchmark benchmark) {
			String name = "board-" + benchmark.threads.incrementAndGet();
			this.board = benchmark.boards.get(name);
			String rawName = "raw-" + name;
			this.rawKeys = new String[] { KEYS.hashTagged(Feature.LEADERBOARD, rawName),
					KEYS.hashTagged(Feature.LEADERBOARD, rawName, "distinct"),
					KEYS.hashTagged(Feature.LEADERBOARD, rawName, "counts") };
			this.rawRankKeys = new String[] { this.rawKeys[0], this.rawKeys[1] };
			this.redissonBoard = benchmark.redisson.getScoredSortedSet("redisson:" + name);
			for (int i = 0; i < MEMBERS; i++) {
				this.board.add("member-" + i, i);
				benchmark.rawWrite(this.rawKeys, "member-" + i, i, "set");
				this.redissonBoard.add(i, "member-" + i);
			}
		}

		String member() {
			return "member-" + ThreadLocalRandom.current().nextInt(MEMBERS);
		}

	}

	/** write-score.lua with the arguments a default board sends (competition ties, highest first, no expiry). */
	List<Object> rawWrite(String[] keys, String member, double value, String mode) {
		return this.raw.sync().evalsha(this.writeSha, ScriptOutputType.MULTI, keys, member, Double.toString(value), mode,
				"competition", "1", "0", "0", "0", Long.toString((long) (0x1p53 - 1)));
	}

	@Benchmark
	public double starterIncrement(PerThread thread) {
		return thread.board.increment(thread.member(), 1);
	}

	@Benchmark
	public Object rawLettuceIncrement(PerThread thread) {
		return rawWrite(thread.rawKeys, thread.member(), 1, "incr");
	}

	@Benchmark
	public Double redissonIncrement(PerThread thread) {
		return thread.redissonBoard.addScore(thread.member(), 1);
	}

	@Benchmark
	public long starterRank(PerThread thread) {
		return thread.board.rank(thread.member()).orElseThrow();
	}

	@Benchmark
	public Object rawLettuceRank(PerThread thread) {
		return this.raw.sync().evalsha(this.rankSha, ScriptOutputType.MULTI, thread.rawRankKeys, thread.member(),
				"competition", "1");
	}

	@Benchmark
	public Integer redissonRank(PerThread thread) {
		return thread.redissonBoard.revRank(thread.member());
	}

	@Benchmark
	public List<LeaderboardEntry> starterTop10(PerThread thread) {
		return thread.board.top(10);
	}

	@Benchmark
	public Object rawLettuceTop10(PerThread thread) {
		return this.raw.sync().evalsha(this.rangeSha, ScriptOutputType.MULTI, thread.rawRankKeys, "competition", "1",
				"position", "0", "10");
	}

	@Benchmark
	public Object redissonTop10(PerThread thread) {
		return thread.redissonBoard.entryRangeReversed(0, 9);
	}

}
