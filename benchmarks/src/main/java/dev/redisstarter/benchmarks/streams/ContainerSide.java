package dev.redisstarter.benchmarks.streams;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamListener;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;

/**
 * Plain Spring Data Redis, the way applications scale a consumer group with it: a
 * {@link LettuceConnectionFactory} (shared native connection, no pool, as Spring Boot configures it without
 * commons-pool2), a {@link StreamMessageListenerContainer} with {@code batchSize} = the starter's
 * {@code read-count}, {@code pollTimeout} = its {@code read-block} and a fixed pool of {@code concurrency} threads,
 * and {@code concurrency} subscriptions made with {@code receive} (not auto-acknowledged), each a consumer of its own
 * in the group. The listener reads the {@code payload} field with Jackson 3's {@link JsonMapper}, does the
 * {@link Tally} work, then acknowledges the record with {@code StringRedisTemplate.opsForStream().acknowledge}. A new
 * container and executor are built for every run (a cancelled subscription does not restart).
 */
final class ContainerSide implements Side {

	static final String GROUP = "bench";

	private final String key;

	private final int concurrency;

	private final int readCount;

	private final Duration readBlock;

	private final JsonMapper mapper;

	private final Tally tally;

	private final LettuceConnectionFactory factory;

	private final StringRedisTemplate template;

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;

	private ExecutorService executor;

	ContainerSide(String host, int port, String key, int concurrency, int readCount, Duration readBlock,
			JsonMapper mapper, Tally tally) {
		this.key = key;
		this.concurrency = concurrency;
		this.readCount = readCount;
		this.readBlock = readBlock;
		this.mapper = mapper;
		this.tally = tally;
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.template = new StringRedisTemplate(this.factory);
	}

	@Override
	public String name() {
		return "container";
	}

	@Override
	public int concurrency() {
		return this.concurrency;
	}

	@Override
	public String description() {
		return "StreamMessageListenerContainer (batchSize " + this.readCount + ", pollTimeout " + this.readBlock.toMillis()
				+ " ms, fixed pool of N threads), N receive(...) subscriptions with distinct consumer names, "
				+ "StreamListener: JsonMapper.readValue(payload) + opsForStream().acknowledge per record";
	}

	@Override
	public String key() {
		return this.key;
	}

	@Override
	public String group() {
		return GROUP;
	}

	@Override
	public void start() {
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(this.concurrency, (task) -> {
			Thread thread = new Thread(task, "plain-stream-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options = StreamMessageListenerContainerOptions
			.builder()
			.batchSize(this.readCount)
			.pollTimeout(this.readBlock)
			.executor(this.executor)
			.errorHandler((error) -> this.failure.compareAndSet(null, error))
			.build();
		this.container = StreamMessageListenerContainer.create(this.factory, options);
		StreamListener<String, MapRecord<String, String, String>> listener = (record) -> {
			Reading reading = this.mapper.readValue(record.getValue().get("payload"), Reading.class);
			this.tally.accept(reading);
			this.template.opsForStream().acknowledge(GROUP, record);
		};
		for (int i = 1; i <= this.concurrency; i++) {
			this.container.receive(Consumer.from(GROUP, "plain-" + i), StreamOffset.create(this.key, ReadOffset.lastConsumed()),
					listener);
		}
		this.container.start();
	}

	@Override
	public void stop() {
		if (this.container != null) {
			this.container.stop();
			this.executor.shutdown();
			try {
				this.executor.awaitTermination(this.readBlock.toMillis() + 5000, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.container = null;
		}
		Throwable error = this.failure.getAndSet(null);
		if (error != null) {
			System.out.println("container: the listener failed: " + error);
		}
	}

	@Override
	public void close() {
		stop();
		this.factory.destroy();
	}

}
