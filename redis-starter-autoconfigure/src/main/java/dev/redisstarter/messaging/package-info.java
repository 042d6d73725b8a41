/**
 * Messaging, one package per capability: {@link dev.redisstarter.messaging.pubsub pub/sub} (fire-and-forget, request-reply),
 * {@link dev.redisstarter.messaging.stream streams} (durable, consumer groups) and
 * {@link dev.redisstarter.messaging.queue job queues} (retries, delays, schedules). This package holds what they share:
 * the {@link dev.redisstarter.messaging.RetryBackoff retry spacing} and the
 * {@link dev.redisstarter.messaging.HandlerCircuit consumer-side circuit}.
 */
@NullMarked
package dev.redisstarter.messaging;

import org.jspecify.annotations.NullMarked;
