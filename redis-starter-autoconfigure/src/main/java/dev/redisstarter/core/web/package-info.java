/**
 * HTTP answers shared by every capability in Spring MVC: RFC 9457 problems with {@code Retry-After}, the
 * throttled warning for Redis being unavailable, and the 503 fallback for Spring Data Redis failures
 * ({@link dev.redisstarter.core.web.RedisUnavailableExceptionHandler}).
 */
@NullMarked
package dev.redisstarter.core.web;

import org.jspecify.annotations.NullMarked;
