/**
 * Rate limiting: {@link dev.redisstarter.ratelimit.RateLimiter} with five algorithms, composite limits and
 * block durations, each decision one Lua script timed by the Redis server.
 */
@NullMarked
package dev.redisstarter.ratelimit;

import org.jspecify.annotations.NullMarked;
