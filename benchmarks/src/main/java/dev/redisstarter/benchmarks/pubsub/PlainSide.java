package dev.redisstarter.benchmarks.pubsub;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Plain Spring Data Redis, as its reference documentation sets it up: a {@link LettuceConnectionFactory} (shared
 * native connection), a {@link RedisTemplate} whose values are written by a {@link JacksonJsonRedisSerializer}
 * publishing with {@code convertAndSend}, and a {@link RedisMessageListenerContainer} with its default task
 * executor (a {@code SimpleAsyncTaskExecutor}: a new thread per message) running a {@link MessageListener} that
 * reads the JSON with Jackson 3.
 */
final class PlainSide implements Side {

	static final String CHANNEL = "plain:ticks";

	private final Receiver receiver;

	private final LettuceConnectionFactory factory;

	private final RedisTemplate<String, Tick> template;

	private final RedisMessageListenerContainer container;

	PlainSide(String host, int port, JsonMapper mapper, Receiver receiver) {
		this.receiver = receiver;
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.template = new RedisTemplate<>();
		this.template.setConnectionFactory(this.factory);
		this.template.setKeySerializer(RedisSerializer.string());
		this.template.setValueSerializer(new JacksonJsonRedisSerializer<>(mapper, Tick.class));
		this.template.afterPropertiesSet();
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(this.factory);
		this.container.addMessageListener(new TickListener(mapper, receiver), ChannelTopic.of(CHANNEL));
		this.container.afterPropertiesSet();
		this.container.start();
	}

	@Override
	public String name() {
		return "plain container";
	}

	@Override
	public String description() {
		return "RedisTemplate.convertAndSend (JacksonJsonRedisSerializer) -> RedisMessageListenerContainer, "
				+ "default executor, MessageListener + JsonMapper.readValue";
	}

	@Override
	public void publish(Tick tick) {
		this.template.convertAndSend(CHANNEL, tick);
	}

	@Override
	public Receiver receiver() {
		return this.receiver;
	}

	@Override
	public void close() {
		this.container.stop();
		try {
			this.container.destroy();
		}
		catch (Exception ex) {
			// Closing anyway.
		}
		this.factory.destroy();
	}

	private record TickListener(JsonMapper mapper, Receiver receiver) implements MessageListener {

		@Override
		public void onMessage(Message message, byte[] pattern) {
			this.receiver.accept(this.mapper.readValue(message.getBody(), Tick.class));
		}

	}

}
