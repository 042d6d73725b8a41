/**
 * Leaderboards in Spring MVC: 503 answers ({@link dev.redisstarter.leaderboard.web.LeaderboardExceptionHandler}).
 */
@NullMarked
package dev.redisstarter.leaderboard.web;

import org.jspecify.annotations.NullMarked;
