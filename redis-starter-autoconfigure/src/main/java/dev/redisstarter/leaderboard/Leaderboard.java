package dev.redisstarter.leaderboard;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One board: members (strings) with scores, ranked by the board's {@link RankOrder} and {@link TieRule}.
 * Every method is one round trip to Redis; every write is atomic.
 *
 * <p>With {@link TieRule#FIRST_REACHED}, scores must be whole numbers, at most 2,097,151 in magnitude on an
 * all-time board and 2,147,483,647 on a periodic board: the time the score was reached is kept in the low
 * 32 (all-time) or 22 (periodic) bits of the stored double, which holds integers exactly up to 2^53. Other
 * tie rules take any finite double.
 */
public interface Leaderboard {

	/**
	 * The board's name, with its period when it has one ({@code global:daily:2026-11-21}).
	 * @return the board id
	 */
	String id();

	/**
	 * Sets a member's score, adding the member when absent.
	 * @param member the member
	 * @param score the score
	 */
	void add(String member, double score);

	/**
	 * Adds to a member's score atomically (a member that is absent starts at 0).
	 * @param member the member
	 * @param delta the amount to add; may be negative
	 * @return the new score
	 */
	double increment(String member, double delta);

	/**
	 * Keeps the better of the member's current score and {@code score} (higher on a highest-first board,
	 * lower on a lowest-first one), in one atomic step.
	 * @param member the member
	 * @param score the candidate score
	 * @return whether the score was recorded (the member was absent, or the candidate is strictly better)
	 */
	boolean addIfHigher(String member, double score);

	/**
	 * Removes a member.
	 * @param member the member
	 * @return whether it was on the board
	 */
	boolean remove(String member);

	/**
	 * A member's score.
	 * @param member the member
	 * @return the score, or empty when the member is not on the board
	 */
	OptionalDouble score(String member);

	/**
	 * How many members the board has.
	 * @return the number of members
	 */
	long size();

	/**
	 * A member's 1-based rank.
	 * @param member the member
	 * @return the rank, or empty when the member is not on the board
	 */
	OptionalLong rank(String member);

	/**
	 * A member's rank and score together.
	 * @param member the member
	 * @return the entry, or empty when the member is not on the board
	 */
	Optional<LeaderboardEntry> entry(String member);

	/**
	 * The best {@code n} entries.
	 * @param n how many; at least 1
	 * @return up to {@code n} entries in rank order
	 */
	List<LeaderboardEntry> top(int n);

	/**
	 * One page of entries in rank order.
	 * @param pageNumber 1-based page number
	 * @param pageSize entries per page; at least 1
	 * @return the page, empty past the end of the board
	 */
	List<LeaderboardEntry> page(int pageNumber, int pageSize);

	/**
	 * A member with up to {@code radius} neighbours above and below (fewer at the edges of the board).
	 * @param member the member
	 * @param radius neighbours on each side; 0 for the member alone
	 * @return the entries in rank order, or empty when the member is not on the board
	 */
	List<LeaderboardEntry> around(String member, int radius);

	/**
	 * Removes every member ranked below the best {@code keepTop}, to bound the memory of a large board. Runs as
	 * several calls of at most 1,000 removals each, so that no call holds Redis for long (a million members are
	 * a thousand short calls, not one of seconds). The excess is counted once, at the start: members added meanwhile
	 * are left to the next trim, so a trim always ends.
	 * @param keepTop how many of the best to keep
	 * @return how many members were removed
	 */
	long trim(int keepTop);

}
