package dev.redisstarter.leaderboard;

import java.time.Duration;
import java.util.Objects;

/**
 * How one board ranks and how long its periods are kept.
 *
 * @param order which end ranks first
 * @param tieRule how equal scores are ranked
 * @param retention how long a periodic board is kept after its period ends
 */
public record LeaderboardSettings(RankOrder order, TieRule tieRule, Duration retention) {

	/** Highest first, competition ranking, periods kept 30 days after they end. */
	public static final LeaderboardSettings DEFAULTS = new LeaderboardSettings(RankOrder.HIGHEST_FIRST,
			TieRule.COMPETITION, Duration.ofDays(30));

	/**
	 * Checks the settings.
	 * @param order which end ranks first
	 * @param tieRule how equal scores are ranked
	 * @param retention how long a periodic board is kept after its period ends
	 */
	public LeaderboardSettings {
		Objects.requireNonNull(order, "order must not be null");
		Objects.requireNonNull(tieRule, "tieRule must not be null");
		Objects.requireNonNull(retention, "retention must not be null");
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("retention must be positive, was " + retention);
		}
	}

	/**
	 * These settings with another order.
	 * @param order which end ranks first
	 * @return new settings
	 */
	public LeaderboardSettings withOrder(RankOrder order) {
		return new LeaderboardSettings(order, this.tieRule, this.retention);
	}

	/**
	 * These settings with another tie rule.
	 * @param tieRule how equal scores are ranked
	 * @return new settings
	 */
	public LeaderboardSettings withTieRule(TieRule tieRule) {
		return new LeaderboardSettings(this.order, tieRule, this.retention);
	}

	/**
	 * These settings with another retention.
	 * @param retention how long a periodic board is kept after its period ends
	 * @return new settings
	 */
	public LeaderboardSettings withRetention(Duration retention) {
		return new LeaderboardSettings(this.order, this.tieRule, retention);
	}

}
