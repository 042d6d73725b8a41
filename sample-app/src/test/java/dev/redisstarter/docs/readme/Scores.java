package dev.redisstarter.docs.readme;

// tag::readme[]
import java.util.List;
import org.springframework.stereotype.Service;
import dev.redisstarter.leaderboard.LeaderboardEntry;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.leaderboard.Period;

@Service
public class Scores {
    private final Leaderboards leaderboards;
    public Scores(Leaderboards leaderboards) { this.leaderboards = leaderboards; }

    public void finished(String player, long points) {
        leaderboards.get("global").increment(player, points);                  // all time, atomic
        leaderboards.get("global", Period.WEEKLY).addIfHigher(player, points); // this week's best game
    }

    public List<LeaderboardEntry> podium() { return leaderboards.get("global").top(3); }  // rank, member, score
}
// end::readme[]
