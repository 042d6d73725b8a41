/**
 * Redis Streams with consumer groups that never lose or strand an entry: {@link
 * dev.redisstarter.messaging.stream.StreamPublisher}, {@link dev.redisstarter.messaging.stream.StreamListener}
 * (acknowledged after the method returns, retried with backoff, reclaimed from stopped consumers, dead-lettered
 * after a bounded number of deliveries), {@link dev.redisstarter.messaging.stream.DeadLetters} and durable
 * topics.
 */
@NullMarked
package dev.redisstarter.messaging.stream;

import org.jspecify.annotations.NullMarked;
