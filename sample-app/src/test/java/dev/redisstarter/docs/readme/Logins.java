package dev.redisstarter.docs.readme;

// tag::readme[]
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import dev.redisstarter.session.SessionService;

@Service
public class Logins {
    private final SessionService sessions;
    public Logins(SessionService sessions) { this.sessions = sessions; }

    public String login(String userId) {                                   // the token the client sends back
        return sessions.create(userId, Map.of("theme", "dark")).id();
    }

    public Optional<String> theme(String token) {
        return sessions.get(token).flatMap((session) -> session.attribute("theme", String.class));
    }

    public int logoutEverywhere(String userId) { return sessions.destroyAllForUser(userId); }
}
// end::readme[]
