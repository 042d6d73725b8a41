package dev.redisstarter.benchmarks.streams;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterStreamsAutoConfiguration;
import dev.redisstarter.messaging.stream.StreamKeys;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.messaging.stream.StreamListeners;

/**
 * The starter as an application gets it: Spring Boot's Redis auto-configuration and the starter's streams, default
 * properties apart from {@code read-count} and {@code read-block} (set equal to the container's), and one
 * {@code @StreamListener(concurrency = 1 | 8)} method taking a {@link Reading} (single form) or a
 * {@code List<Reading>} ({@code batch = true}). The context is refreshed once; its {@link StreamListeners} are
 * stopped right away and started for each run (the consumer keeps its name; its group is created again).
 */
final class StarterSide implements Side {

	static final String GROUP = "bench";

	private final boolean batch;

	private final int concurrency;

	private final String key;

	private final AnnotationConfigApplicationContext context;

	private final StreamListeners listeners;

	StarterSide(String host, int port, String stream, boolean batch, int concurrency, int readCount, Duration readBlock,
			Tally tally) {
		this.batch = batch;
		this.concurrency = concurrency;
		this.context = new AnnotationConfigApplicationContext();
		this.context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("benchmark",
					Map.of("spring.data.redis.host", host, "spring.data.redis.port", Integer.toString(port),
							"redis.starter.key-prefix", "bench", "bench.stream", stream,
							"redis.starter.stream.defaults.read-count", Integer.toString(readCount),
							"redis.starter.stream.defaults.read-block", readBlock.toMillis() + "ms")));
		this.context.registerBean(Tally.class, () -> tally);
		this.context.register(StarterApplication.class, listenerClass(batch, concurrency));
		this.context.refresh();
		this.listeners = this.context.getBean(StreamListeners.class);
		this.listeners.stop();
		this.key = this.context.getBean(StreamKeys.class).stream(stream);
	}

	private static Class<?> listenerClass(boolean batch, int concurrency) {
		return switch (concurrency) {
			case 1 -> batch ? BatchOfOne.class : SingleOfOne.class;
			case 8 -> batch ? BatchOfEight.class : SingleOfEight.class;
			default -> throw new IllegalArgumentException("The starter sides run at concurrency 1 or 8, not " + concurrency);
		};
	}

	@Override
	public String name() {
		return this.batch ? "starter batch" : "starter";
	}

	@Override
	public int concurrency() {
		return this.concurrency;
	}

	@Override
	public String description() {
		return this.batch ? "@StreamListener(batch = true, concurrency = N) void on(List<Reading>): one XREADGROUP "
				+ "connection, a pool of N handler threads, one XACK per list"
				: "@StreamListener(concurrency = N) void on(Reading): one XREADGROUP connection, a pool of N handler "
						+ "threads, one XACK per entry (not awaited)";
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
		this.listeners.start();
	}

	@Override
	public void stop() {
		this.listeners.stop();
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
			RedisStarterStreamsAutoConfiguration.class })
	static class StarterApplication {

	}

	/** The application's listener, single form, concurrency 1. */
	static class SingleOfOne {

		private final Tally tally;

		SingleOfOne(Tally tally) {
			this.tally = tally;
		}

		@StreamListener(stream = "${bench.stream}", group = GROUP, concurrency = 1)
		void on(Reading reading) {
			this.tally.accept(reading);
		}

	}

	/** The application's listener, single form, concurrency 8. */
	static class SingleOfEight {

		private final Tally tally;

		SingleOfEight(Tally tally) {
			this.tally = tally;
		}

		@StreamListener(stream = "${bench.stream}", group = GROUP, concurrency = 8)
		void on(Reading reading) {
			this.tally.accept(reading);
		}

	}

	/** The application's listener, batch form, concurrency 1. */
	static class BatchOfOne {

		private final Tally tally;

		BatchOfOne(Tally tally) {
			this.tally = tally;
		}

		@StreamListener(stream = "${bench.stream}", group = GROUP, concurrency = 1, batch = true)
		void on(List<Reading> readings) {
			readings.forEach(this.tally::accept);
		}

	}

	/** The application's listener, batch form, concurrency 8. */
	static class BatchOfEight {

		private final Tally tally;

		BatchOfEight(Tally tally) {
			this.tally = tally;
		}

		@StreamListener(stream = "${bench.stream}", group = GROUP, concurrency = 8, batch = true)
		void on(List<Reading> readings) {
			readings.forEach(this.tally::accept);
		}

	}

}
