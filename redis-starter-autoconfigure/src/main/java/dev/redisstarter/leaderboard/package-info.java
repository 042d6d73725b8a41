/**
 * Leaderboards on Redis sorted sets: ranks with a stated tie rule, pages, neighbours, and daily, weekly and
 * monthly boards. Start at {@link dev.redisstarter.leaderboard.Leaderboards}.
 */
@NullMarked
package dev.redisstarter.leaderboard;

import org.jspecify.annotations.NullMarked;
