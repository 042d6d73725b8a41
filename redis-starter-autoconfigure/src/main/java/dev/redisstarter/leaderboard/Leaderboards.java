package dev.redisstarter.leaderboard;

import java.time.Instant;

/**
 * Gives access to boards by name. Boards are created by their first score; names must be non-empty and
 * contain no braces or whitespace.
 */
public interface Leaderboards {

	/**
	 * An all-time board, kept until it is removed.
	 * @param name the board's name
	 * @return the board
	 */
	Leaderboard get(String name);

	/**
	 * The current period's board: writes go to the period that contains now (in the configured time zone),
	 * and the board expires its retention after the period ends.
	 * @param name the board's name
	 * @param period daily, weekly or monthly
	 * @return the current period's board
	 */
	Leaderboard get(String name, Period period);

	/**
	 * The board of the period that contains {@code at}, for example last week's, readable while retained.
	 * @param name the board's name
	 * @param period daily, weekly or monthly
	 * @param at an instant inside the period wanted
	 * @return that period's board
	 */
	Leaderboard get(String name, Period period, Instant at);

}
