package dev.redisstarter.leaderboard;

import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisUnavailableException;

/** Redis could not be reached to read or write a leaderboard: nothing was read, and a write may not have been made. */
public class LeaderboardUnavailableException extends RedisUnavailableException {

	private final String board;

	/**
	 * A failure.
	 * @param board the leaderboard's name
	 * @param cause what the client reported
	 */
	public LeaderboardUnavailableException(String board, Throwable cause) {
		super("Leaderboard " + Masking.mask(board) + " cannot be used: Redis is unavailable (" + cause.getMessage() + ")", cause);
		this.board = board;
	}

	/**
	 * The leaderboard's name.
	 * @return the name
	 */
	public String getBoard() {
		return this.board;
	}

}
