package dev.redisstarter.sample.leaderboard;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.redisstarter.leaderboard.Leaderboard;
import dev.redisstarter.leaderboard.LeaderboardEntry;
import dev.redisstarter.leaderboard.Leaderboards;

import dev.redisstarter.sample.BadRequests;

/**
 * Leaderboards over HTTP: post scores, read the top, read a member's rank with its neighbours.
 */
@RestController
@RequestMapping("/api/leaderboards/{board}")
class LeaderboardController {

	private final Leaderboards leaderboards;

	LeaderboardController(Leaderboards leaderboards) {
		this.leaderboards = leaderboards;
	}

	/** Sets a member's score and answers its place. */
	@PostMapping("/scores")
	LeaderboardEntry postScore(@PathVariable String board, @RequestBody ScoreRequest request) {
		if (request.member() == null || request.score() == null) {
			throw new IllegalArgumentException("Both 'member' and 'score' are required");
		}
		Leaderboard leaderboard = this.leaderboards.get(board);
		leaderboard.add(request.member(), request.score());
		return leaderboard.entry(request.member()).orElseThrow();
	}

	@GetMapping("/top")
	List<LeaderboardEntry> top(@PathVariable String board, @RequestParam(defaultValue = "10") int n) {
		if (n < 1 || n > 1000) {
			throw new IllegalArgumentException("n must be between 1 and 1000, was " + n);
		}
		return this.leaderboards.get(board).top(n);
	}

	@GetMapping("/members/{member}")
	MemberStanding member(@PathVariable String board, @PathVariable String member,
			@RequestParam(defaultValue = "2") int radius) {
		if (radius < 0 || radius > 100) {
			throw new IllegalArgumentException("radius must be between 0 and 100, was " + radius);
		}
		Leaderboard leaderboard = this.leaderboards.get(board);
		LeaderboardEntry entry = leaderboard.entry(member)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"'" + member + "' has no score on board '" + board + "'"));
		return new MemberStanding(entry.member(), entry.rank(), entry.score(), leaderboard.around(member, radius));
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail badRequest(IllegalArgumentException ex, HttpServletRequest request) {
		return BadRequests.problem(ex, request);
	}

	/** The body of a posted score. */
	record ScoreRequest(String member, Double score) {
	}

	/** A member's place and its neighbours. */
	record MemberStanding(String member, long rank, double score, List<LeaderboardEntry> neighbours) {
	}

}
