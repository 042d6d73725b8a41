package dev.redisstarter.leaderboard;

/** How members with equal scores are ranked. */
public enum TieRule {

	/**
	 * Standard competition ranking ("1224"): equal scores share a rank, and the next rank skips as many places
	 * as shared it. Rank = 1 + the number of members with a strictly better score.
	 */
	COMPETITION("competition"),

	/**
	 * Dense ranking ("1223"): equal scores share a rank, and the next rank follows without gaps. Rank = 1 +
	 * the number of distinct better scores; the board keeps an index of distinct scores for that, so a rank
	 * costs O(log n) however many ties there are.
	 */
	DENSE("dense"),

	/**
	 * No shared ranks: of members with equal scores, the one that reached the score first (by the Redis
	 * server's clock, to the second) ranks higher; within the same second, by member name. Scores must be
	 * whole numbers within a bound (see {@link Leaderboard}), because the time is kept in the low bits of the
	 * stored score.
	 */
	FIRST_REACHED("first-reached");

	private final String scriptName;

	TieRule(String scriptName) {
		this.scriptName = scriptName;
	}

	String scriptName() {
		return this.scriptName;
	}

}
