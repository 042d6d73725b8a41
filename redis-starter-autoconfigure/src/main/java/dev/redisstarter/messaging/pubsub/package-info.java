/**
 * Pub/sub on Spring's {@code @RedisListener}, with what it lacks: the {@link dev.redisstarter.messaging.pubsub.MessageBus}
 * publisher and request-reply, ordered bounded dispatch, an error handler, sharded channels and keyspace
 * notifications that work on Cluster, and subscriptions that survive restarts and failovers.
 */
@NullMarked
package dev.redisstarter.messaging.pubsub;

import org.jspecify.annotations.NullMarked;
