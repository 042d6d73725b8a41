package dev.redisstarter.docs.readme;

// tag::readme[]
import java.time.Duration;

import org.springframework.stereotype.Service;

import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.ratelimit.RateLimiter;

@Service
public class ExportLimits {

    private final RateLimiter limiter;

    public ExportLimits(RateLimiter limiter) {
        this.limiter = limiter;
    }

    public boolean mayExport(String tenant) {                     // 100 exports per minute and tenant
        RateLimitResult result = limiter.tryAcquire(tenant, RateLimit.slidingWindow(100, Duration.ofMinutes(1)));
        return result.allowed();                                  // also remaining(), retryAfter()
    }

    @RateLimited(limit = 5, window = "1m", key = "#email")         // throws RateLimitExceededException (429 in MVC)
    public String sendLoginLink(String email) {
        return "sent to " + email;
    }
}
// end::readme[]
