package dev.redisstarter.leaderboard;

/**
 * One member's place on a board.
 *
 * @param rank 1-based, by the board's order and tie rule
 * @param member the member
 * @param score the member's score
 */
public record LeaderboardEntry(long rank, String member, double score) {
}
