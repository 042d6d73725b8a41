package dev.redisstarter.messaging.pubsub;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.RepeatedTest;

import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.awaitility.Awaitility.await;

/**
 * A message the application publishes as soon as its context has started reaches its own listeners: start-up waits
 * (at most {@code redis.starter.resilience.startup-wait}) until their subscriptions are confirmed. Before, the
 * listeners subscribed some 0.5 s after the context had started, and such a message reached no one.
 */
@RealRedis
class ListenersReadyAtStartTests {

	static class Greetings {

		final PubSubContexts.Received<String> received = new PubSubContexts.Received<>();

		@RedisListener("greetings")
		void greet(String text) {
			this.received.add(text);
		}

	}

	@RepeatedTest(20)
	void aMessagePublishedOnceTheContextHasStartedReachesTheApplicationsOwnListener() {
		PubSubContexts.runner(SharedRedis.standalone())
			.withPropertyValues("spring.application.name=ready-" + UUID.randomUUID())
			.withBean(Greetings.class)
			.run((context) -> {
				context.getBean(MessageBus.class).publish("greetings", "hello");
				Greetings greetings = context.getBean(Greetings.class);
				await().atMost(Duration.ofSeconds(3)).until(() -> greetings.received.size() == 1);
			});
	}

}
