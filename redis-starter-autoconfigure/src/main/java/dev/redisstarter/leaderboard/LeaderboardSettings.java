package dev.redisstarter.leaderboard;

import java.time.Duration;
import java.util.Objects;

/**
 * How one board ranks and how long its periods are kept.
 *
 * @param order which end ranks first
 * @param tieRule how equal scores are ranked
 * @param retention how long a periodic board is kept after its period ends
 * @param maxMemberLength the most characters of a member (members are kept without expiry and returned in every
 * top list, so callers must not be able to store large ones)
 */
public record LeaderboardSettings(RankOrder order, TieRule tieRule, Duration retention, int maxMemberLength) {

	/** The default {@code maxMemberLength}. */
	public static final int DEFAULT_MAX_MEMBER_LENGTH = 256;

	/** Highest first, competition ranking, periods kept 30 days after they end, members up to 256 characters. */
	public static final LeaderboardSettings DEFAULTS = new LeaderboardSettings(RankOrder.HIGHEST_FIRST,
			TieRule.COMPETITION, Duration.ofDays(30));

	/**
	 * Settings with members up to {@link #DEFAULT_MAX_MEMBER_LENGTH} characters.
	 * @param order which end ranks first
	 * @param tieRule how equal scores are ranked
	 * @param retention how long a periodic board is kept after its period ends
	 */
	public LeaderboardSettings(RankOrder order, TieRule tieRule, Duration retention) {
		this(order, tieRule, retention, DEFAULT_MAX_MEMBER_LENGTH);
	}

	/**
	 * Checks the settings.
	 * @param order which end ranks first
	 * @param tieRule how equal scores are ranked
	 * @param retention how long a periodic board is kept after its period ends
	 * @param maxMemberLength positive
	 */
	public LeaderboardSettings {
		Objects.requireNonNull(order, "order must not be null");
		Objects.requireNonNull(tieRule, "tieRule must not be null");
		Objects.requireNonNull(retention, "retention must not be null");
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("retention must be positive, was " + retention);
		}
		if (maxMemberLength < 1) {
			throw new IllegalArgumentException("maxMemberLength must be positive, was " + maxMemberLength);
		}
	}

	/**
	 * These settings with another order.
	 * @param order which end ranks first
	 * @return new settings
	 */
	public LeaderboardSettings withOrder(RankOrder order) {
		return new LeaderboardSettings(order, this.tieRule, this.retention, this.maxMemberLength);
	}

	/**
	 * These settings with another tie rule.
	 * @param tieRule how equal scores are ranked
	 * @return new settings
	 */
	public LeaderboardSettings withTieRule(TieRule tieRule) {
		return new LeaderboardSettings(this.order, tieRule, this.retention, this.maxMemberLength);
	}

	/**
	 * These settings with another retention.
	 * @param retention how long a periodic board is kept after its period ends
	 * @return new settings
	 */
	public LeaderboardSettings withRetention(Duration retention) {
		return new LeaderboardSettings(this.order, this.tieRule, retention, this.maxMemberLength);
	}

	/**
	 * These settings with another bound on member names.
	 * @param maxMemberLength the most characters of a member
	 * @return new settings
	 */
	public LeaderboardSettings withMaxMemberLength(int maxMemberLength) {
		return new LeaderboardSettings(this.order, this.tieRule, this.retention, maxMemberLength);
	}

}
