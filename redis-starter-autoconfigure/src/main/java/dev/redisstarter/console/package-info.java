/**
 * The operations console: a page and its JSON API under {@code redis.starter.console.path}, showing the circuit,
 * the server, job queues, streams, the meters of caches, rate limits, locks and sessions, and a bounded, sampled
 * insight into the server's keys; write actions only when enabled. See {@link dev.redisstarter.console.ConsoleRoutes}.
 */
@NullMarked
package dev.redisstarter.console;

import org.jspecify.annotations.NullMarked;
