package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterListenerAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterMessagingAutoConfiguration;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@RealRedis
class PubSubDispatchTests {

	/** A listener that waits at a gate before handling, so its queue fills. */
	static class GatedListeners {

		final CountDownLatch gate = new CountDownLatch(1);

		final PubSubContexts.Received<Integer> dropping = new PubSubContexts.Received<>();

		final PubSubContexts.Received<Integer> blocking = new PubSubContexts.Received<>();

		@RedisListener(id = "dropping", topic = "dropping")
		@ListenerOptions(queueCapacity = 10, whenFull = WhenFull.DROP)
		void dropping(Integer n) throws InterruptedException {
			this.gate.await(30, TimeUnit.SECONDS);
			this.dropping.add(n);
		}

		@RedisListener(id = "blocking", topic = "blocking")
		@ListenerOptions(queueCapacity = 10, whenFull = WhenFull.BLOCK)
		void blocking(Integer n) throws InterruptedException {
			this.gate.await(30, TimeUnit.SECONDS);
			this.blocking.add(n);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GatedConfig {

		@Bean
		GatedListeners gatedListeners() {
			return new GatedListeners();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	static class Events {

		final PubSubContexts.Received<String> received = new PubSubContexts.Received<>();

		@RedisListener("events")
		void event(String text) {
			this.received.add(text);
		}

		@RedisListener("prices")
		Long price(String sku) {
			return (long) sku.length();
		}

	}

	private static String app() {
		return "spring.application.name=dispatch-" + UUID.randomUUID();
	}

	@Test
	void aFullQueueDropsAndCountsWithDropAndLosesNothingWithBlock() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(GatedConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				GatedListeners listeners = context.getBean(GatedListeners.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				for (int i = 0; i < 100; i++) {
					bus.publish("dropping", i);
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				// One message is held by the waiting thread, ten wait in the queue: the rest are dropped.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.get("redis.starter.messaging.dropped").tag("listener", "dropping").counter().count() == 89);
				// A blocking listener holds up the subscription's reader (and so every listener it reads for) instead.
				for (int i = 0; i < 100; i++) {
					bus.publish("blocking", i);
				}
				listeners.gate.countDown();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> listeners.blocking.size() == 100 && listeners.dropping.size() == 11);
				assertThat(listeners.blocking.snapshot()).as("block: every message, in order")
					.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
				assertThat(listeners.dropping.snapshot()).as("drop: the first ones, in order")
					.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 11).boxed().toList());
				assertThat(meters.get("redis.starter.messaging.dropped").tag("listener", "blocking").counter().count())
					.isZero();
			});
	}

	@Test
	void aBroadcastReachesEveryInstanceAndARequestIsAnsweredByAnother() {
		String app = app();
		ApplicationContextRunner instance = PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app);
		instance.withBean(Events.class).run((first) -> instance.withBean(Events.class).run((second) -> {
			instance.run((requester) -> {
				first.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				second.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				assertThat(requester.getBean(MessageBus.class).publish("events", "hello")).isEqualTo(2);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> first.getBean(Events.class).received.size() == 1
							&& second.getBean(Events.class).received.size() == 1);
				assertThat(requester.getBean(MessageBus.class).request("prices", "abcd", Long.class, Duration.ofSeconds(2)))
					.as("the first of the two replies").isEqualTo(4L);
			});
		}));
	}

	@Test
	void traceContextTravelsFromThePublisherToTheListener() {
		Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new ObservationHandler<SenderContext<Map<String, String>>>() {
			@Override
			public void onStart(SenderContext<Map<String, String>> context) {
				context.getSetter().set(context.getCarrier(), "traceparent", "00-trace-1-01");
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof SenderContext;
			}
		});
		observations.observationConfig().observationHandler(new ObservationHandler<ReceiverContext<Map<String, String>>>() {
			@Override
			public void onStart(ReceiverContext<Map<String, String>> context) {
				String parent = context.getGetter().get(context.getCarrier(), "traceparent");
				seen.put("receiver", (parent != null) ? parent : "none");
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof ReceiverContext;
			}
		});
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withBean(ObservationRegistry.class, () -> observations)
			.withBean(Events.class)
			.run((context) -> {
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				context.getBean(MessageBus.class).publish("events", "traced");
				Events events = context.getBean(Events.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> events.received.size() == 1);
				assertThat(events.received.snapshot()).as("the listener sees the payload, not the envelope")
					.containsExactly("traced");
				assertThat(seen).containsEntry("receiver", "00-trace-1-01");
			});
	}

	@Test
	void withMessagingOffRedisListenersAreLeftToSpringsContainer() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterListenerAutoConfiguration.class, RedisStarterMessagingAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.withPropertyValues("redis.starter.messaging.enabled=false")
			.withBean(Events.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(MessageBus.class).doesNotHaveBean(PubSubSubscriber.class);
				assertThat(context).hasSingleBean(RedisMessageListenerContainer.class);
				Events events = context.getBean(Events.class);
				// Spring's container subscribes as the context starts; the channel has no prefix.
				await().atMost(Duration.ofSeconds(5)).until(() -> {
					try (var connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
						connection.publish("events".getBytes(), "plain spring".getBytes());
					}
					return events.received.size() > 0;
				});
				assertThat(events.received.snapshot()).contains("plain spring");
			});
	}

	@Test
	void invalidDispatchSettingsStopStartUpNamingTheProperty() {
		PubSubContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.messaging.listener.queue-capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.messaging.listener")
				.hasMessageContaining("queue-capacity"));
	}

}
