package dev.redisstarter.docs.readme;

// tag::readme[]
import java.time.Duration;
import org.springframework.stereotype.Service;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.ratelimit.RateLimiter;

@Service
public class ExportLimits {
    private final RateLimiter limiter;
    public ExportLimits(RateLimiter limiter) { this.limiter = limiter; }

    public boolean mayExport(String tenant) {                              // 100 per minute and tenant
        return limiter.tryAcquire(tenant, RateLimit.slidingWindow(100, Duration.ofMinutes(1))).allowed();
    }

    @RateLimited(limit = 5, window = "1m", key = "#email")                 // else RateLimitExceededException (429)
    public String sendLoginLink(String email) { return "sent to " + email; }
}
// end::readme[]
