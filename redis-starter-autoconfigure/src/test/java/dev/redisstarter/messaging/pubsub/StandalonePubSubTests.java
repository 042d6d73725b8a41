package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.support.PubSubHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.data.redis.listener.ChannelTopic;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@RealRedis
class StandalonePubSubTests {

	record Order(String id, int quantity) {
	}

	record Quote(String sku, long price) {
	}

	static class Listeners {

		final PubSubContexts.Received<Order> orders = new PubSubContexts.Received<>();

		final PubSubContexts.Received<List<Order>> batches = new PubSubContexts.Received<>();

		final PubSubContexts.Received<String> texts = new PubSubContexts.Received<>();

		final PubSubContexts.Received<String> channels = new PubSubContexts.Received<>();

		final PubSubContexts.Received<Integer> sequence = new PubSubContexts.Received<>();

		final PubSubContexts.Received<Integer> parallel = new PubSubContexts.Received<>();

		@RedisListener("orders")
		void order(Order order) {
			if (order.quantity() < 0) {
				throw new IllegalStateException("negative quantity in " + order.id());
			}
			this.orders.add(order);
		}

		@RedisListener("batches")
		void batch(List<Order> batch) {
			this.batches.add(batch);
		}

		@RedisListener("news.*")
		void news(String text, @Header(PubSubHeaders.CHANNEL) ChannelTopic channel) {
			this.texts.add(text);
			this.channels.add(channel.getTopic());
		}

		@RedisListener("sequence")
		void sequence(Integer n) {
			this.sequence.add(n);
		}

		@RedisListener(id = "parallel", topic = "parallel")
		@ListenerOptions(concurrency = 8, ordered = false)
		void parallel(Integer n) {
			this.parallel.add(n);
		}

		@RedisListener("errors")
		void error(String text) {
			if (text.equals("fatal")) {
				throw new AssertionError("an Error, not an Exception");
			}
			this.texts.add(text);
		}

		@RedisListener("echo")
		Object echo(Object payload) {
			return payload;
		}

		@RedisListener("bytes")
		byte[] bytes(byte[] payload) {
			return payload;
		}

		@RedisListener("catalogue")
		List<Quote> catalogue(List<String> skus) {
			return skus.stream().map((sku) -> new Quote(sku, sku.length() * 100L)).toList();
		}

		@RedisListener("quotes")
		Quote quote(String sku) {
			if (sku.equals("unknown")) {
				throw new IllegalArgumentException("no such sku");
			}
			return new Quote(sku, sku.length() * 100L);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfig {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

		@Bean
		PubSubContexts.RecordingErrorHandler errors() {
			return new PubSubContexts.RecordingErrorHandler();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	private static String app() {
		return "spring.application.name=pubsub-" + UUID.randomUUID();
	}

	@Test
	void typedPayloadsAndGenericsRoundTripThroughTheBus() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Listeners listeners = context.getBean(Listeners.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				assertThat(bus.publish("orders", new Order("o-1", 2))).isEqualTo(1);
				bus.publish("batches", List.of(new Order("a", 1), new Order("b", 2)));
				bus.publish("news.sports", "a goal");
				await().atMost(Duration.ofSeconds(5)).until(() -> listeners.orders.size() == 1
						&& listeners.batches.size() == 1 && listeners.texts.size() == 1);
				assertThat(listeners.orders.snapshot()).containsExactly(new Order("o-1", 2));
				assertThat(listeners.batches.snapshot()).containsExactly(List.of(new Order("a", 1), new Order("b", 2)));
				assertThat(listeners.texts.snapshot()).containsExactly("a goal");
				assertThat(listeners.channels.snapshot()).as("channels carry the application's prefix")
					.allMatch((channel) -> channel.startsWith("pubsub-") && channel.endsWith(":news.sports"));
			});
	}

	@Test
	void aPayloadThatDoesNotParseGoesToTheErrorHandlerAndIsCountedAndTheListenerKeepsReceiving() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Listeners listeners = context.getBean(Listeners.class);
				PubSubContexts.RecordingErrorHandler errors = context.getBean(PubSubContexts.RecordingErrorHandler.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				bus.publish("orders", "{not json");
				bus.publish("orders", new Order("o-2", 1));
				await().atMost(Duration.ofSeconds(5)).until(() -> listeners.orders.size() == 1 && errors.failures.size() == 1);
				ListenerFailure failure = errors.failures.get(0);
				assertThat(failure.reason()).isEqualTo(ListenerFailure.Reason.PAYLOAD);
				assertThat(failure.channel()).endsWith(":orders");
				assertThat(failure.listener()).isEqualTo("Listeners.order");
				assertThat(new String(failure.payload())).isEqualTo("{not json");
				assertThat(context.getBean(MeterRegistry.class)
					.get("redis.starter.messaging.failed")
					.tag("outcome", "payload")
					.tag("listener", "Listeners.order")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void aListenerThatThrowsReachesTheErrorHandlerAndTheNextMessageIsDelivered() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Listeners listeners = context.getBean(Listeners.class);
				PubSubContexts.RecordingErrorHandler errors = context.getBean(PubSubContexts.RecordingErrorHandler.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				bus.publish("orders", new Order("bad", -1));
				bus.publish("orders", new Order("good", 1));
				await().atMost(Duration.ofSeconds(5)).until(() -> listeners.orders.size() == 1 && errors.failures.size() == 1);
				assertThat(errors.failures.get(0).reason()).isEqualTo(ListenerFailure.Reason.HANDLER);
				assertThat(errors.failures.get(0).error()).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("bad");
				assertThat(listeners.orders.snapshot()).extracting(Order::id).containsExactly("good");
			});
	}

	@Test
	void aListenerThatThrowsAnErrorIsReportedAndEveryListenerKeepsReceiving() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Listeners listeners = context.getBean(Listeners.class);
				PubSubContexts.RecordingErrorHandler errors = context.getBean(PubSubContexts.RecordingErrorHandler.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				bus.publish("errors", "fatal");
				bus.publish("errors", "next");
				await().atMost(Duration.ofSeconds(5)).until(() -> listeners.texts.size() == 1 && errors.failures.size() == 1);
				assertThat(errors.failures.get(0).error()).isInstanceOf(AssertionError.class);
				assertThat(bus.request("quotes", "sku", Quote.class, Duration.ofSeconds(2))).isEqualTo(new Quote("sku", 300));
			});
	}

	@Test
	void aRequestCanReadAGenericReply() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				List<Quote> quotes = context.getBean(MessageBus.class)
					.request("catalogue", List.of("a", "bb"),
							new org.springframework.core.ParameterizedTypeReference<List<Quote>>() {
							}, Duration.ofSeconds(2));
				assertThat(quotes).containsExactly(new Quote("a", 100), new Quote("bb", 200));
			});
	}

	@Test
	void requestsAndRepliesKeepEveryDigitAndEveryByte() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				byte[] binary = { (byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80 };
				assertThat(bus.request("bytes", binary, byte[].class, Duration.ofSeconds(2))).containsExactly(binary);
				java.math.BigDecimal precise = new java.math.BigDecimal("12345678901234567.0123456789");
				assertThat(bus.request("echo", java.util.Map.of("amount", precise), String.class, Duration.ofSeconds(2)))
					.contains("12345678901234567.0123456789");
			});
	}

	@Test
	void tenThousandMessagesArriveInPublishOrderWithConcurrencyOneAndAllArriveWithConcurrencyEight() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Listeners listeners = context.getBean(Listeners.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				for (int i = 0; i < 10_000; i++) {
					bus.publish("sequence", i);
					bus.publish("parallel", i);
				}
				await().atMost(Duration.ofSeconds(30))
					.until(() -> listeners.sequence.size() == 10_000 && listeners.parallel.size() == 10_000);
				assertThat(listeners.sequence.snapshot()).containsExactlyElementsOf(IntStream.range(0, 10_000).boxed().toList());
				assertThat(listeners.parallel.snapshot()).containsExactlyInAnyOrderElementsOf(
						IntStream.range(0, 10_000).boxed().toList());
			});
	}

	@Test
	void aRequestIsAnsweredByTheListenersReturnValueAndFailuresAndSilenceAreClear() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				assertThat(bus.request("quotes", "sku-1", Quote.class, Duration.ofSeconds(2)))
					.isEqualTo(new Quote("sku-1", 500));
				assertThatExceptionOfType(MessageRequestFailedException.class)
					.isThrownBy(() -> bus.request("quotes", "unknown", Quote.class, Duration.ofSeconds(2)))
					.withMessageContaining("no such sku");
				assertThatExceptionOfType(MessageRequestTimeoutException.class)
					.isThrownBy(() -> bus.request("nobody-listens", "x", Quote.class, Duration.ofMillis(300)))
					.withMessageContaining("nobody-listens")
					.withMessageContaining("no subscriber");
			});
	}

	@Test
	void aReplyThatCannotBeReadAsTheTypeAskedForSaysSoWithJacksonsReasonNotThatTheListenerFailed() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				assertThatExceptionOfType(MessageReplyUnreadableException.class)
					.isThrownBy(() -> bus.request("quotes", "sku-1", Integer.class, Duration.ofSeconds(2)))
					.withMessageMatching("(?s)The reply on channel '.*quotes' could not be read as java\\.lang\\.Integer: .+")
					.withMessageContaining("Cannot deserialize value of type `java.lang.Integer`")
					.withMessageNotContaining("failed")
					.satisfies((ex) -> assertThat(ex.getReplyType()).isEqualTo("java.lang.Integer"));
			});
	}

	@Test
	void twoApplicationsWithDifferentNamesDoNotHearEachOther() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app())
			.withUserConfiguration(ListenerConfig.class)
			.run((listening) -> PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues(app()).run((other) -> {
				listening.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				assertThat(other.getBean(MessageBus.class).publish("orders", new Order("elsewhere", 1))).isZero();
				assertThat(listening.getBean(MessageBus.class).publish("orders", new Order("here", 1))).isEqualTo(1);
				await().atMost(Duration.ofSeconds(5)).until(() -> listening.getBean(Listeners.class).orders.size() == 1);
				assertThat(listening.getBean(Listeners.class).orders.snapshot()).extracting(Order::id).containsExactly("here");
			}));
	}

	@Test
	void plainSpringPublishersReachStarterListenersOnThePrefixedChannel() {
		PubSubContexts.runner(SharedRedis.standalone()).withPropertyValues("spring.application.name=plain")
			.withUserConfiguration(ListenerConfig.class)
			.run((context) -> {
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				try (var connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
					connection.publish("plain:orders".getBytes(), "{\"id\":\"raw\",\"quantity\":3}".getBytes());
				}
				Listeners listeners = context.getBean(Listeners.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> listeners.orders.size() == 1);
				assertThat(listeners.orders.snapshot()).containsExactly(new Order("raw", 3));
			});
	}

}
