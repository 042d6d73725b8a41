package dev.redisstarter.docs.ratelimit;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.stereotype.Service;

import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.ratelimit.RateLimiter;

record Order(String id) {
}

record LoginForm(String email, String password) {
}

record Session(String token) {
}

// tag::usage[]
@RestController
class ApiController {
    @GetMapping("/api/orders")
    @RateLimited(policy = "api")                                   // per client address (behind trusted proxies)
    List<Order> orders() { return List.of(); }

    @PostMapping("/api/login")
    @RateLimited(limit = 5, window = "1m", key = "#form.email")     // inline, per argument (SpEL)
    @RateLimited(limit = 100, window = "1h", key = "#form.email")   // same key: checked together, all or nothing
    Session login(@RequestBody LoginForm form) { return new Session("..."); }
}

@Service
class Exports {
    private final RateLimiter limiter;
    Exports(RateLimiter limiter) { this.limiter = limiter; }

    void export(String tenant, int rows) {
        RateLimitResult result = limiter.tryAcquire(tenant, RateLimit.tokenBucket(10_000, 100), rows);  // weighted cost
        if (!result.allowed()) throw new RateLimitExceededException(tenant, result);
    }
}
// end::usage[]
