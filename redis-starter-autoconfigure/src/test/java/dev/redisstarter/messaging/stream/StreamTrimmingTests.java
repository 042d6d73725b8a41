package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every add trims the stream to its bound while consumers keep up. Trimming is approximate ({@code ~}): Redis
 * removes only whole macro nodes of {@code stream-node-max-entries} entries (100 by default), so the stream may
 * exceed its bound by less than one node, never fall below it.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class StreamTrimmingTests {

	/** Redis's default {@code stream-node-max-entries}: the most an approximate trim can leave over its bound. */
	private static final int NODE = 100;

	record Reading(int number) {
	}

	static class Readings {

		final Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();

		@StreamListener(stream = "${test.stream}", group = "meters", concurrency = 4)
		void handle(Reading reading) {
			this.handled.computeIfAbsent(reading.number(), (number) -> new AtomicInteger()).incrementAndGet();
		}

	}

	@Test
	void maxLengthKeepsTheStreamWithinItsBoundPlusLessThanOneMacroNodeWhileConsumersKeepUp() {
		String stream = "readings-" + UUID.randomUUID();
		int maxLength = 500;
		int entries = 3000;
		runner(stream).withPropertyValues("redis.starter.stream.defaults.max-length=" + maxLength)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				Readings readings = context.getBean(Readings.class);
				List<Long> lengths = new ArrayList<>();
				for (int burst = 0; burst < entries / 100; burst++) {
					for (int i = burst * 100; i < (burst + 1) * 100; i++) {
						publisher.add(stream, new Reading(i));
					}
					lengths.add(StreamState.length(context, stream));
					int added = (burst + 1) * 100;
					await().atMost(Duration.ofSeconds(10)).until(() -> readings.handled.size() == added);
				}
				assertThat(lengths).as("never more than the bound plus one node")
					.allSatisfy((length) -> assertThat(length).isLessThan(maxLength + NODE));
				assertThat(lengths.subList(maxLength / 100, lengths.size())).as("never below the bound")
					.allSatisfy((length) -> assertThat(length).isGreaterThanOrEqualTo(maxLength));
				assertThat(readings.handled.keySet()).as("a consumer that keeps up loses nothing to trimming")
					.isEqualTo(IntStream.range(0, entries).boxed().collect(Collectors.toSet()));
				assertThat(readings.handled.values()).allMatch((count) -> count.get() == 1);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> StreamState.pendingIds(context, stream, "meters").isEmpty());
			});
	}

	@Test
	void maxAgeOfANamedStreamTrimsEntriesOlderThanItsBoundAtEveryAdd() throws InterruptedException {
		String stream = "readings-" + UUID.randomUUID();
		Duration maxAge = Duration.ofSeconds(1);
		runner(stream)
			.withPropertyValues("redis.starter.stream.named." + stream + ".max-age=" + maxAge.toMillis() + "ms",
					"redis.starter.stream.named." + stream + ".max-length=0")
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				Readings readings = context.getBean(Readings.class);
				List<String> added = new ArrayList<>();
				long until = System.nanoTime() + Duration.ofMillis(3000).toNanos();
				for (int i = 0; System.nanoTime() < until; i++) {
					added.add(publisher.add(stream, new Reading(i)).getValue());
					Thread.sleep(5);
				}
				List<String> kept = StreamState.ids(context, stream);
				long lastAdd = StreamIds.millis(added.get(added.size() - 1));
				List<String> tooOld = kept.stream()
					.filter((id) -> StreamIds.millis(id) < lastAdd - maxAge.toMillis())
					.toList();
				assertThat(kept).as("the first entries were trimmed").doesNotContain(added.get(0));
				assertThat(tooOld).as("older than max-age: less than one node").hasSizeLessThan(NODE);
				assertThat(kept).as("the recent entries are kept")
					.containsAll(added.stream()
						.filter((id) -> StreamIds.millis(id) >= lastAdd - maxAge.toMillis())
						.toList());
				await().atMost(Duration.ofSeconds(10)).until(() -> readings.handled.size() == added.size());
				assertThat(readings.handled.values()).allMatch((count) -> count.get() == 1);
			});
	}

	@Test
	void pendingEntriesTrimmedBeforeAnyConsumerHandledThemAreAcknowledgedWithAWarningAndCounted(
			org.springframework.boot.test.system.CapturedOutput output) {
		String stream = "readings-" + UUID.randomUUID();
		// No listener in this context: it only writes what a dead consumer left.
		StreamContexts.runner(SharedRedis.standalone()).withPropertyValues("spring.application.name=trimming").run((setup) -> {
			// A consumer that read five entries and died; then the stream's bound trimmed them.
			try (org.springframework.data.redis.connection.RedisConnection connection = setup
				.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class)
				.getConnection()) {
				byte[] key = setup.getBean(StreamKeys.class).stream(stream).getBytes(java.nio.charset.StandardCharsets.UTF_8);
				connection.streamCommands()
					.xGroupCreate(key, "meters", org.springframework.data.redis.connection.stream.ReadOffset.from("0"), true);
				for (int i = 0; i < 5; i++) {
					connection.streamCommands()
						.xAdd(key, Map.of("payload".getBytes(), ("{\"number\":" + i + "}").getBytes()));
				}
				connection.streamCommands()
					.xReadGroup(org.springframework.data.redis.connection.stream.Consumer.from("meters", "dead"),
							org.springframework.data.redis.connection.stream.StreamReadOptions.empty().count(10),
							org.springframework.data.redis.connection.stream.StreamOffset.create(key,
									org.springframework.data.redis.connection.stream.ReadOffset.lastConsumed()));
				connection.streamCommands().xTrim(key, 0, false);
			}
		});
		io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		runner(stream).withPropertyValues("redis.starter.stream.defaults.claim-idle=1s",
				"redis.starter.stream.defaults.claim-interval=200ms")
			.withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> meters)
			.run((context) -> {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> StreamState.pendingIds(context, stream, "meters").isEmpty());
				assertThat(meters.counter("redis.starter.stream.pending.trimmed", "stream", stream, "group", "meters").count())
					.isEqualTo(5);
				assertThat(output).contains("5 pending entries were trimmed from the stream before any consumer handled them");
				assertThat(context.getBean(Readings.class).handled).isEmpty();
			});
	}

	private static ApplicationContextRunner runner(String stream) {
		return StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("spring.application.name=trimming", "test.stream=" + stream)
			.withBean(Readings.class);
	}

}
