package dev.redisstarter.benchmarks.pubsub;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterListenerAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterMessagingAutoConfiguration;
import dev.redisstarter.messaging.pubsub.MessageBus;
import dev.redisstarter.core.subscription.PubSubSubscriber;

/**
 * The starter as an application gets it: Spring Boot's Redis auto-configuration and the starter's, default
 * properties (one listener thread, per-channel order, a queue of 10,000 that blocks when full), a
 * {@code @RedisListener} method taking the {@link Tick}, and {@link MessageBus#publish} (the starter's own
 * connection, 500 ms deadline).
 */
final class StarterSide implements Side {

	static final String CHANNEL = "ticks";

	private final Receiver receiver;

	private final AnnotationConfigApplicationContext context;

	private final MessageBus bus;

	StarterSide(String host, int port, Receiver receiver) {
		this.receiver = receiver;
		this.context = new AnnotationConfigApplicationContext();
		this.context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("benchmark", Map.of("spring.data.redis.host", host, "spring.data.redis.port",
					Integer.toString(port), "redis.starter.key-prefix", "bench")));
		this.context.registerBean(Receiver.class, () -> receiver);
		this.context.register(StarterApplication.class);
		this.context.refresh();
		this.bus = this.context.getBean(MessageBus.class);
		if (!this.context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(10))) {
			throw new IllegalStateException("The starter's subscription did not settle within 10 s");
		}
	}

	@Override
	public String name() {
		return "starter";
	}

	@Override
	public String description() {
		return "MessageBus.publish -> starter's PubSubSubscriber + ListenerDispatcher (defaults) -> @RedisListener(Tick)";
	}

	@Override
	public void publish(Tick tick) {
		this.bus.publish(CHANNEL, tick);
	}

	@Override
	public Receiver receiver() {
		return this.receiver;
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
			RedisStarterListenerAutoConfiguration.class, RedisStarterMessagingAutoConfiguration.class })
	static class StarterApplication {

		@Bean
		TickListener tickListener(Receiver receiver) {
			return new TickListener(receiver);
		}

	}

	/** The application's listener. */
	static final class TickListener {

		private final Receiver receiver;

		TickListener(Receiver receiver) {
			this.receiver = receiver;
		}

		@RedisListener(StarterSide.CHANNEL)
		void onTick(Tick tick) {
			this.receiver.accept(tick);
		}

	}

}
