package dev.redisstarter.docs.leaderboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import org.springframework.stereotype.Service;

import dev.redisstarter.leaderboard.LeaderboardEntry;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.leaderboard.Period;

// tag::usage[]
@Service
class Scores {
    private final Leaderboards leaderboards;
    Scores(Leaderboards leaderboards) { this.leaderboards = leaderboards; }

    void finished(String player, long points) {
        leaderboards.get("global").increment(player, points);            // all-time, atomic
        leaderboards.get("global", Period.WEEKLY).addIfHigher(player, points); // this week's best game
    }

    List<LeaderboardEntry> podium()          { return leaderboards.get("global").top(3); }
    OptionalLong rankOf(String player)       { return leaderboards.get("global").rank(player); }
    List<LeaderboardEntry> near(String p)    { return leaderboards.get("global").around(p, 2); }
    List<LeaderboardEntry> lastWeek()        { return leaderboards.get("global", Period.WEEKLY, Instant.now().minus(Duration.ofDays(7))).top(10); }
}
// end::usage[]
