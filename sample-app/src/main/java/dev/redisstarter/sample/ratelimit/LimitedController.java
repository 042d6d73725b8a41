package dev.redisstarter.sample.ratelimit;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.ratelimit.RateLimited;

/**
 * A rate-limited endpoint: policy {@code limited} in application.yml allows 10 requests per 10 seconds per
 * client address. The 11th answers 429 with {@code Retry-After} and the rate-limit header fields.
 */
@RestController
class LimitedController {

	@GetMapping("/api/limited")
	@RateLimited(policy = "limited")
	Map<String, String> limited() {
		return Map.of("message", "within the limit");
	}

}
