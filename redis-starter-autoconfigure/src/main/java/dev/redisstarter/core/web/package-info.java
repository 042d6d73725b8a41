/**
 * HTTP answers shared by every capability in Spring MVC: the problem types
 * ({@link dev.redisstarter.core.web.ProblemTypes}), the rules for {@code Retry-After}, logging and order
 * ({@link dev.redisstarter.core.web.ProblemAnswers}), the one answer to Redis being unavailable
 * ({@link dev.redisstarter.core.web.UnavailableAnswer}), and the 503 fallback for Spring Data Redis failures
 * ({@link dev.redisstarter.core.web.RedisUnavailableExceptionHandler}).
 */
@NullMarked
package dev.redisstarter.core.web;

import org.jspecify.annotations.NullMarked;
