package dev.redisstarter.leaderboard;

/** Which end of the board ranks first. */
public enum RankOrder {

	/** The highest score is rank 1 (points, sales). */
	HIGHEST_FIRST,

	/** The lowest score is rank 1 (lap times, strokes). */
	LOWEST_FIRST;

	int direction() {
		return (this == HIGHEST_FIRST) ? 1 : -1;
	}

}
