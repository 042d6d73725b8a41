package dev.redisstarter.leaderboard;

import dev.redisstarter.core.Masking;

/**
 * How a board stores its scores. With {@link TieRule#FIRST_REACHED} the stored double is
 * {@code score * 2^bits + tick}, where the tick counts seconds since {@code baseEpochSecond} (reversed on
 * highest-first boards, so that earlier sorts higher); otherwise the score is stored as it is.
 *
 * @param bits low bits holding the time; 0 when no time is encoded
 * @param baseEpochSecond the epoch second ticks count from
 */
record ScoreEncoding(int bits, long baseEpochSecond) {

	/** Holds ticks for 136 years from 2025-01-01T00:00:00Z, leaving 21 bits of whole score. */
	static final int ALL_TIME_BITS = 32;

	/** Holds ticks for 48 days from the start of a period (the longest is 31 days), leaving 31 bits of score. */
	static final int PERIODIC_BITS = 22;

	/** 2025-01-01T00:00:00Z. */
	static final long ALL_TIME_BASE = 1_735_689_600L;

	static final ScoreEncoding PLAIN = new ScoreEncoding(0, 0);

	private static final double EXACT_INTEGER_LIMIT = 0x1p53;

	boolean encodesTime() {
		return this.bits > 0;
	}

	double decode(double stored) {
		return encodesTime() ? Math.floor(stored / Math.scalb(1.0, this.bits)) : stored;
	}

	/** The largest magnitude of whole score that still leaves the stored double exact. */
	double maxScore() {
		return EXACT_INTEGER_LIMIT / Math.scalb(1.0, this.bits) - 1;
	}

	void check(String board, String what, double value) {
		if (!Double.isFinite(value)) {
			throw new IllegalArgumentException("The " + what + " for board " + Masking.mask(board) + " must be finite, was " + value);
		}
		if (encodesTime()) {
			if (value != Math.rint(value)) {
				throw new IllegalArgumentException("Board " + Masking.mask(board) + " ranks ties by who reached a score first, so the "
						+ what + " must be a whole number, was " + value);
			}
			if (Math.abs(value) > maxScore()) {
				throw new IllegalArgumentException("Board " + Masking.mask(board) + " ranks ties by who reached a score first, so the "
						+ what + " must be at most " + (long) maxScore() + " in magnitude, was " + value);
			}
		}
	}

}
