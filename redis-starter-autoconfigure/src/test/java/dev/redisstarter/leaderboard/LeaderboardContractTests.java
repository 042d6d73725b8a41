package dev.redisstarter.leaderboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The leaderboard's behaviour, run against each topology by a subclass. */
abstract class LeaderboardContractTests {

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private StringRedisTemplate redis;

	private final KeyNaming keys = new KeyNaming("lbtest:");

	abstract RedisDeployment deployment();

	@BeforeEach
	void connect() {
		this.redis = new StringRedisTemplate(factory());
	}

	@AfterEach
	void disconnect() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	private LettuceConnectionFactory factory() {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		return factory;
	}

	private RedisLeaderboards leaderboards(LeaderboardSettings settings) {
		return leaderboards(settings, Clock.systemUTC(), ZoneId.of("UTC"));
	}

	private RedisLeaderboards leaderboards(LeaderboardSettings settings, Clock clock, ZoneId zone) {
		return new RedisLeaderboards(this.redis, this.keys, settings, Map.of(), zone, clock);
	}

	private static String uniqueName() {
		return "board-" + UUID.randomUUID();
	}

	@Test
	void ranksPagesAndNeighboursMatchABruteForceSortWithCompetitionRanking() throws Exception {
		checkAgainstBruteForce(LeaderboardSettings.DEFAULTS);
	}

	@Test
	void ranksPagesAndNeighboursMatchABruteForceSortWithDenseRankingLowestFirst() throws Exception {
		checkAgainstBruteForce(LeaderboardSettings.DEFAULTS.withTieRule(TieRule.DENSE).withOrder(RankOrder.LOWEST_FIRST));
	}

	private void checkAgainstBruteForce(LeaderboardSettings settings) throws Exception {
		Leaderboard board = leaderboards(settings).get(uniqueName());
		Random random = new Random(42);
		Map<String, Double> scores = new HashMap<>();
		for (int i = 0; i < 10_000; i++) {
			scores.put(String.format("m%05d", i), random.nextInt(2000) / 2.0);
		}
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> writes = new ArrayList<>();
			scores.forEach((member, score) -> writes.add(pool.submit(() -> board.add(member, score))));
			for (Future<?> write : writes) {
				write.get();
			}
		}
		finally {
			pool.shutdown();
		}
		// Some members move, so the dense index must follow changes, not only inserts.
		for (int i = 0; i < 200; i++) {
			String member = String.format("m%05d", i);
			double score = random.nextInt(2000) / 2.0;
			board.add(member, score);
			scores.put(member, score);
		}
		List<LeaderboardEntry> expected = bruteForce(scores, settings);
		assertThat(board.size()).isEqualTo(10_000);

		List<LeaderboardEntry> allPages = new ArrayList<>();
		for (int page = 1; page <= 100; page++) {
			allPages.addAll(board.page(page, 100));
		}
		assertThat(allPages).isEqualTo(expected);
		assertThat(board.page(101, 100)).isEmpty();
		assertThat(board.top(10)).isEqualTo(expected.subList(0, 10));

		Map<String, Integer> positions = new HashMap<>();
		for (int i = 0; i < expected.size(); i++) {
			positions.put(expected.get(i).member(), i);
		}
		List<String> probes = new ArrayList<>(List.of(expected.get(0).member(), expected.get(1).member(),
				expected.get(9_999).member(), expected.get(9_998).member()));
		for (int i = 0; i < 300; i++) {
			probes.add(expected.get(random.nextInt(expected.size())).member());
		}
		for (String member : probes) {
			int at = positions.get(member);
			LeaderboardEntry entry = expected.get(at);
			assertThat(board.rank(member)).hasValue(entry.rank());
			assertThat(board.entry(member)).contains(entry);
			assertThat(board.score(member)).hasValue(entry.score());
			assertThat(board.around(member, 3))
				.isEqualTo(expected.subList(Math.max(0, at - 3), Math.min(expected.size(), at + 4)));
		}
	}

	/** Ranks by definition; ties ordered as Redis orders them (by member, reversed when highest first). */
	private static List<LeaderboardEntry> bruteForce(Map<String, Double> scores, LeaderboardSettings settings) {
		boolean highestFirst = settings.order() == RankOrder.HIGHEST_FIRST;
		Comparator<Map.Entry<String, Double>> byScore = Map.Entry.comparingByValue();
		Comparator<Map.Entry<String, Double>> order = byScore.thenComparing(Map.Entry.comparingByKey());
		if (highestFirst) {
			order = order.reversed();
		}
		List<Map.Entry<String, Double>> sorted = new ArrayList<>(scores.entrySet());
		sorted.sort(order);
		List<Double> distinct = sorted.stream().map(Map.Entry::getValue).distinct().toList();
		List<LeaderboardEntry> entries = new ArrayList<>();
		for (Map.Entry<String, Double> item : sorted) {
			double score = item.getValue();
			long better = (settings.tieRule() == TieRule.DENSE)
					? distinct.stream().filter((other) -> highestFirst ? other > score : other < score).count()
					: scores.values().stream().filter((other) -> highestFirst ? other > score : other < score).count();
			entries.add(new LeaderboardEntry(better + 1, item.getKey(), score));
		}
		return entries;
	}

	@Test
	void competitionAndDenseRankingGiveTheirDocumentedRanks() {
		Leaderboard competition = leaderboards(LeaderboardSettings.DEFAULTS).get(uniqueName());
		Leaderboard dense = leaderboards(LeaderboardSettings.DEFAULTS.withTieRule(TieRule.DENSE)).get(uniqueName());
		for (Leaderboard board : List.of(competition, dense)) {
			board.add("a", 100);
			board.add("b", 90);
			board.add("c", 90);
			board.add("d", 80);
		}
		assertThat(competition.top(4)).extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 2L, 4L);
		assertThat(dense.top(4)).extracting(LeaderboardEntry::rank).containsExactly(1L, 2L, 2L, 3L);
		assertThat(competition.rank("d")).hasValue(4);
		assertThat(dense.rank("d")).hasValue(3);
		dense.add("b", 100);
		dense.add("c", 100);
		assertThat(dense.rank("d")).as("the 90 tier is gone from the dense index").hasValue(2);
	}

	@Test
	void firstReachedRanksWhoeverReachedTheScoreFirstHigher() throws InterruptedException {
		Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS.withTieRule(TieRule.FIRST_REACHED))
			.get(uniqueName());
		board.add("early", 50);
		board.add("low", 10);
		Thread.sleep(1100);
		board.add("late", 50);
		board.add("top", 60);
		assertThat(board.top(4)).containsExactly(new LeaderboardEntry(1, "top", 60), new LeaderboardEntry(2, "early", 50),
				new LeaderboardEntry(3, "late", 50), new LeaderboardEntry(4, "low", 10));
		assertThat(board.rank("late")).hasValue(3);
		assertThat(board.around("late", 1)).extracting(LeaderboardEntry::member).containsExactly("early", "late", "low");
		board.add("early", 50);
		assertThat(board.rank("early")).as("setting the same score again keeps the original time").hasValue(2);
		assertThat(board.increment("late", 1)).isEqualTo(51);
		assertThat(board.rank("late")).hasValue(2);
	}

	@Test
	void firstReachedRanksLowestFirstBoardsTooAndKeepsPeriodicScoresExact() throws InterruptedException {
		Leaderboard board = leaderboards(
				LeaderboardSettings.DEFAULTS.withTieRule(TieRule.FIRST_REACHED).withOrder(RankOrder.LOWEST_FIRST))
			.get(uniqueName(), Period.MONTHLY);
		board.add("first", 2_000_000_000);
		Thread.sleep(1100);
		board.add("second", 2_000_000_000);
		board.add("best", -5);
		assertThat(board.top(3)).containsExactly(new LeaderboardEntry(1, "best", -5),
				new LeaderboardEntry(2, "first", 2_000_000_000), new LeaderboardEntry(3, "second", 2_000_000_000));
	}

	@Test
	void firstReachedRejectsScoresItCannotStoreExactly() {
		Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS.withTieRule(TieRule.FIRST_REACHED))
			.get("bounded");
		assertThatIllegalArgumentException().isThrownBy(() -> board.add("m", 1.5)).withMessageContaining("whole number");
		assertThatIllegalArgumentException().isThrownBy(() -> board.add("m", 3_000_000))
			.withMessageContaining("2097151");
		assertThatIllegalArgumentException().isThrownBy(() -> board.add("m", Double.NaN)).withMessageContaining("finite");
	}

	@Test
	void trimmingALargeBoardRemovesInBoundedChunksAndKeepsTheBest() {
		Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS).get(uniqueName());
		for (int i = 0; i < 2_500; i++) {
			board.add("m" + i, i);
		}
		assertThat(board.trim(10)).isEqualTo(2_490);
		assertThat(board.size()).isEqualTo(10);
		assertThat(board.top(1).get(0).member()).isEqualTo("m2499");
		Leaderboard lowest = leaderboards(LeaderboardSettings.DEFAULTS.withOrder(RankOrder.LOWEST_FIRST))
			.get(uniqueName());
		for (int i = 0; i < 1_500; i++) {
			lowest.add("m" + i, i);
		}
		assertThat(lowest.trim(3)).isEqualTo(1_497);
		assertThat(lowest.top(3)).extracting(LeaderboardEntry::member).containsExactly("m0", "m1", "m2");
	}

	@Test
	void anIncrementPastWhatFirstReachedCanStoreIsRefusedBeforeAnythingIsWritten() {
		Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS.withTieRule(TieRule.FIRST_REACHED))
			.get(uniqueName());
		board.add("m", 2_000_000);
		assertThatIllegalArgumentException().isThrownBy(() -> board.increment("m", 200_000))
			.withMessageContaining("2097151");
		assertThat(board.score("m")).as("nothing was written").hasValue(2_000_000);
	}

	@Test
	void concurrentIncrementsFromSixteenThreadsSumExactly() throws Exception {
		String name = uniqueName();
		List<Leaderboard> instances = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			instances.add(new RedisLeaderboards(new StringRedisTemplate(factory()), this.keys).get(name));
		}
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			for (int t = 0; t < 16; t++) {
				Leaderboard board = instances.get(t % 3);
				int delta = t + 1;
				tasks.add(pool.submit(() -> {
					for (int i = 0; i < 100; i++) {
						board.increment("player", delta);
					}
				}));
			}
			for (Future<?> task : tasks) {
				task.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdown();
		}
		assertThat(instances.get(0).score("player")).hasValue(100.0 * (16 * 17 / 2));
	}

	@Test
	void addIfHigherNeverLowersAScoreUnderConcurrency() throws Exception {
		for (RankOrder order : RankOrder.values()) {
			Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS.withOrder(order).withTieRule(TieRule.DENSE))
				.get(uniqueName());
			List<Double> submitted = java.util.Collections.synchronizedList(new ArrayList<>());
			ExecutorService pool = Executors.newFixedThreadPool(16);
			try {
				List<Future<?>> tasks = new ArrayList<>();
				for (int t = 0; t < 16; t++) {
					tasks.add(pool.submit(() -> {
						for (int i = 0; i < 50; i++) {
							double score = ThreadLocalRandom.current().nextInt(100_000);
							submitted.add(score);
							board.addIfHigher("player", score);
							double now = board.score("player").orElseThrow();
							assertThat((order == RankOrder.HIGHEST_FIRST) ? now >= score : now <= score).isTrue();
						}
					}));
				}
				for (Future<?> task : tasks) {
					task.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				pool.shutdown();
			}
			double best = (order == RankOrder.HIGHEST_FIRST) ? submitted.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
					: submitted.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
			assertThat(board.score("player")).hasValue(best);
			assertThat(board.addIfHigher("player", best)).as("an equal score is not better").isFalse();
			assertThat(board.rank("player")).hasValue(1);
		}
	}

	@Test
	void periodicBoardsRollOverAtMidnightInTheConfiguredZone() {
		// 23:59:59 on 21 November in Auckland (UTC+13) is 10:59:59 UTC.
		MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:59:59Z"));
		RedisLeaderboards boards = leaderboards(LeaderboardSettings.DEFAULTS, clock, ZoneId.of("Pacific/Auckland"));
		String name = uniqueName();
		Leaderboard before = boards.get(name, Period.DAILY);
		before.add("alice", 10);
		assertThat(before.id()).isEqualTo(name + ":daily:2026-11-21");

		clock.advance(Duration.ofSeconds(2));
		Leaderboard after = boards.get(name, Period.DAILY);
		assertThat(after.id()).isEqualTo(name + ":daily:2026-11-22");
		assertThat(after.size()).isZero();
		after.add("bob", 5);
		assertThat(boards.get(name, Period.DAILY, Instant.parse("2026-11-21T10:00:00Z")).top(5))
			.containsExactly(new LeaderboardEntry(1, "alice", 10));
		assertThat(boards.get(name, Period.WEEKLY).id()).isEqualTo(name + ":weekly:2026-W47");
		assertThat(boards.get(name, Period.MONTHLY).id()).isEqualTo(name + ":monthly:2026-11");
	}

	@Test
	void aPastPeriodExpiresItsRetentionAfterThePeriodEnds() throws InterruptedException {
		Instant realNow = Instant.now();
		Instant periodEnd = Period.DAILY.windowAt(realNow.minus(Duration.ofDays(3)), ZoneId.of("UTC")).end();
		Duration retention = Duration.between(periodEnd, realNow.plusMillis(1500));
		RedisLeaderboards boards = leaderboards(LeaderboardSettings.DEFAULTS.withRetention(retention),
				new MutableClock(realNow.minus(Duration.ofDays(3))), ZoneId.of("UTC"));
		String name = uniqueName();
		Leaderboard old = boards.get(name, Period.DAILY);
		old.add("alice", 1);
		assertThat(old.size()).isEqualTo(1);
		Long ttl = this.redis.getExpire(this.keys.hashTagged(dev.redisstarter.core.Feature.LEADERBOARD, old.id()),
				TimeUnit.MILLISECONDS);
		assertThat(ttl).isBetween(1L, 1500L);
		Thread.sleep(1700);
		assertThat(old.size()).isZero();
	}

	@Test
	void allTimeBoardsDoNotExpire() {
		Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS.withTieRule(TieRule.DENSE)).get(uniqueName());
		board.add("alice", 1);
		for (String suffix : new String[] { null, "distinct", "counts" }) {
			String key = (suffix == null) ? this.keys.hashTagged(dev.redisstarter.core.Feature.LEADERBOARD, board.id())
					: this.keys.hashTagged(dev.redisstarter.core.Feature.LEADERBOARD, board.id(), suffix);
			assertThat(this.redis.getExpire(key)).as(key).isEqualTo(-1);
		}
	}

	@Test
	void trimKeepsTheBestAndKeepsDenseRanksRight() {
		for (RankOrder order : RankOrder.values()) {
			Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS.withTieRule(TieRule.DENSE).withOrder(order))
				.get(uniqueName());
			for (int i = 1; i <= 20; i++) {
				board.add("m" + i, i % 10);
			}
			assertThat(board.trim(5)).isEqualTo(15);
			assertThat(board.size()).isEqualTo(5);
			List<LeaderboardEntry> top = board.top(10);
			assertThat(top).hasSize(5);
			double best = (order == RankOrder.HIGHEST_FIRST) ? 9 : 0;
			assertThat(top.get(0).score()).isEqualTo(best);
			board.add("newcomer", (order == RankOrder.HIGHEST_FIRST) ? 8.5 : 0.5);
			assertThat(board.rank("newcomer")).as("only the kept scores count as better").hasValue(2);
		}
	}

	@Test
	void anAbsentMemberIsAnEmptyResultNotAnError() {
		Leaderboard board = leaderboards(LeaderboardSettings.DEFAULTS).get(uniqueName());
		board.add("present", 1);
		assertThat(board.rank("absent")).isEmpty();
		assertThat(board.score("absent")).isEmpty();
		assertThat(board.entry("absent")).isEmpty();
		assertThat(board.around("absent", 2)).isEmpty();
		assertThat(board.remove("absent")).isFalse();
		assertThat(board.remove("present")).isTrue();
		assertThat(board.size()).isZero();
		assertThat(board.increment("fresh", 2.5)).isEqualTo(2.5);
	}

	@Test
	void rejectsBadArgumentsNamingThem() {
		RedisLeaderboards boards = leaderboards(LeaderboardSettings.DEFAULTS);
		assertThatIllegalArgumentException().isThrownBy(() -> boards.get("with space")).withMessageContaining("whitespace")
			.withMessageNotContaining("with space");
		assertThatIllegalArgumentException().isThrownBy(() -> boards.get("a{b}")).withMessageContaining("braces");
		Leaderboard board = boards.get(uniqueName());
		assertThatIllegalArgumentException().isThrownBy(() -> board.page(0, 10)).withMessageContaining("pageNumber");
		assertThatIllegalArgumentException().isThrownBy(() -> board.around("m", -1)).withMessageContaining("radius");
		assertThatIllegalArgumentException().isThrownBy(() -> board.add("", 1)).withMessageContaining("member");
	}

	@Test
	void aMemberOrBoardNameOverItsBoundIsRefusedWithoutEchoingItAndNothingIsStored() {
		RedisLeaderboards boards = leaderboards(LeaderboardSettings.DEFAULTS.withMaxMemberLength(16));
		Leaderboard board = boards.get(uniqueName());
		assertThatExceptionOfType(InputLimitExceededException.class).isThrownBy(() -> board.add("m".repeat(17), 1))
			.withMessageContaining("redis.starter.leaderboard.max-member-length")
			.withMessageNotContaining("mmmm");
		assertThatExceptionOfType(InputLimitExceededException.class).isThrownBy(() -> board.increment("m".repeat(17), 1));
		assertThat(board.size()).isZero();
		board.add("m".repeat(16), 1);
		assertThat(board.size()).isOne();
		assertThatExceptionOfType(InputLimitExceededException.class).isThrownBy(() -> boards.get("b".repeat(201)))
			.withMessageNotContaining("bbbb");
	}

}
