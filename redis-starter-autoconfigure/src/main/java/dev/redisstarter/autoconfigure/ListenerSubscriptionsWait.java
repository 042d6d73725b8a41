package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.subscription.PubSubSubscriber;

/**
 * Start-up waits, at most {@code redis.starter.resilience.startup-wait}, until the listeners' subscriptions are
 * confirmed by Redis, so that a message the application publishes once it is started (or once readiness says
 * {@code ACCEPTING_TRAFFIC}, which Boot announces after every lifecycle has started) reaches its own listeners: a
 * subscription is made in the background, and was confirmed some 0.5 s after the context had started. An unreachable
 * Redis costs no wait (nothing could be confirmed), nor does an application without listeners. It waits when the
 * context has refreshed, after every lifecycle (the listeners' endpoints among them) has started, and before
 * {@code SpringApplication.run} goes on to the started and ready events.
 */
final class ListenerSubscriptionsWait implements ApplicationListener<ContextRefreshedEvent> {

	private static final Log logger = LogFactory.getLog(ListenerSubscriptionsWait.class);

	private final PubSubSubscriber subscriber;

	private final RedisAccess access;

	private final Duration startupWait;

	ListenerSubscriptionsWait(PubSubSubscriber subscriber, RedisAccess access, Duration startupWait) {
		this.subscriber = subscriber;
		this.access = access;
		this.startupWait = startupWait;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (this.startupWait.isZero() || !this.access.isConnected()) {
			return;
		}
		if (!this.subscriber.awaitSettled(this.startupWait)) {
			logger.info("The listeners' subscriptions were not all confirmed within " + this.startupWait.toMillis()
					+ " ms (redis.starter.resilience.startup-wait): starting anyway; messages published until they are"
					+ " may not reach this application's listeners (health and redis.starter.messaging meters show"
					+ " the subscriptions)");
		}
	}

}
