package dev.redisstarter.docs.session;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.session.Session;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.session.web.CurrentSession;

record Credentials(String name, String password) {
}

record User(String id, List<String> roles) {
}

record Cart(List<String> items) {
}

interface Users {

    User check(Credentials credentials);

}

// tag::usage[]
@RestController
class LoginController {
    private final SessionService sessions;
    private final Users users;
    LoginController(SessionService sessions, Users users) { this.sessions = sessions; this.users = users; }

    @PostMapping("/login")
    Map<String, String> login(@RequestBody Credentials credentials) {
        User user = users.check(credentials);
        Session session = sessions.create(user.id(), Map.of("cart", new Cart(List.of()), "roles", user.roles()));
        return Map.of("token", session.id());                       // the client sends: Authorization: Bearer <token>
    }

    @GetMapping("/cart")
    Cart cart(@CurrentSession Session session) {                     // 401 problem when missing or ended
        return session.attribute("cart", Cart.class).orElseThrow();
    }

    @PostMapping("/promote")
    Map<String, String> promote(@CurrentSession Session session) {
        return Map.of("token", sessions.rotate(session.id()).id()); // new id after a privilege change
    }
}
// end::usage[]
