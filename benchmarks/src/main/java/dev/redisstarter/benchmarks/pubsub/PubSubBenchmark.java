package dev.redisstarter.benchmarks.pubsub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.benchmarks.Statistics;
import dev.redisstarter.test.LocalRedisServer;

/**
 * Publish-to-listener throughput and end-to-end latency of Redis pub/sub, through the starter
 * ({@link StarterSide}) and through a plain Spring Data Redis {@code RedisMessageListenerContainer} with its
 * default executor ({@link PlainSide}), side by side in one JVM on one private {@code redis-server} (127.0.0.1, a
 * free port, stopped at the end). Both sides publish the same {@link Tick} as JSON, one channel each, and their
 * listeners do the same work ({@link Receiver}). Each side is warmed up at every thread count, then each
 * (side, thread count) is measured {@code --repetitions} times, alternating which side goes first; the summary
 * gives medians.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.redisstarter.benchmarks.pubsub.PubSubBenchmark \
 *     [--threads 1,8] [--duration 3] [--warmup 2] [--repetitions 3] [--rate 1000]
 * </pre>
 * Times are in seconds. Every (side, thread count) is measured saturated (each thread publishes as fast as its
 * publish call returns) and paced ({@code --rate} ticks per second over all threads, 0 to skip), so that latency
 * is also compared at a load both sides keep up with. The summary is also written to {@code benchmarks/target/pubsub-summary.txt}.
 */
public final class PubSubBenchmark {

	private static final int LATENCY_CAPACITY = 4_000_000;

	private PubSubBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		List<Integer> threadCounts = List.of(1, 8);
		Duration duration = Duration.ofSeconds(3);
		Duration warmup = Duration.ofSeconds(2);
		int repetitions = 3;
		int pacedRate = 1000;
		for (int i = 0; i + 1 < args.length; i += 2) {
			String value = args[i + 1];
			switch (args[i]) {
				case "--threads" -> threadCounts = Arrays.stream(value.split(",")).map(String::strip).map(Integer::parseInt).toList();
				case "--duration" -> duration = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "--warmup" -> warmup = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "--repetitions" -> repetitions = Integer.parseInt(value);
				case "--rate" -> pacedRate = Integer.parseInt(value);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]);
			}
		}
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		JsonMapper mapper = JsonMapper.builder().build();
		int payloadBytes = mapper.writeValueAsBytes(Tick.of(0, 7, 123_456)).length;
		List<PubSubRun.Result> results = new ArrayList<>();
		long began = System.nanoTime();
		String redisVersion;
		List<String> descriptions = new ArrayList<>();
		double threadStarts = threadStartsPerSecond();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			redisVersion = server.version();
			System.out.println("redis-server " + redisVersion + " on " + server.address() + "; payload " + payloadBytes
					+ " bytes of JSON; " + Runtime.getRuntime().availableProcessors() + " CPUs; this JVM starts "
					+ Math.round(threadStarts) + " threads/s");
			try (PlainSide plain = new PlainSide(server.host(), server.port(), mapper, new Receiver(LATENCY_CAPACITY));
					StarterSide starter = new StarterSide(server.host(), server.port(), new Receiver(LATENCY_CAPACITY))) {
				List<Side> sides = List.of(plain, starter);
				sides.forEach((side) -> descriptions.add(side.name() + ": " + side.description()));
				int run = 0;
				for (Side side : sides) {
					for (int threads : threadCounts) {
						PubSubRun.Result result = PubSubRun.run(side, threads, 0, warmup, run++, 0);
						System.out.println("warm-up  " + line(result));
					}
				}
				List<Integer> rates = (pacedRate > 0) ? List.of(0, pacedRate) : List.of(0);
				for (int rate : rates) {
					for (int repetition = 1; repetition <= repetitions; repetition++) {
						for (int threads : threadCounts) {
							List<Side> order = (repetition % 2 == 1) ? sides : List.of(sides.get(1), sides.get(0));
							for (Side side : order) {
								PubSubRun.Result result = PubSubRun.run(side, threads, rate, duration, run++, repetition);
								results.add(result);
								System.out.println("measured " + line(result));
							}
						}
					}
				}
				((Logger) LoggerFactory.getLogger("io.lettuce")).setLevel(Level.ERROR);
			}
		}
		String summary = summary(results, threadCounts, repetitions, duration, payloadBytes, redisVersion, descriptions,
				threadStarts, (System.nanoTime() - began) / 1e9);
		System.out.println();
		System.out.println(summary);
		Path file = Statistics.outputDirectory().resolve("pubsub-summary.txt");
		Files.writeString(file, summary);
		System.out.println("Written to " + file);
		System.exit(0);
	}

	private static String line(PubSubRun.Result r) {
		return String.format(Locale.ROOT,
				"%-16s rate=%s threads=%d rep=%d published=%d failed=%d received=%d msg/s=%.0f (publish %.0f/s) p50=%.3f ms "
						+ "p99=%.3f ms max=%.1f ms out-of-order=%d threads-started=%d peak-live=%d",
				r.side(), (r.rate() > 0) ? r.rate() + "/s" : "max", r.threads(), r.repetition(), r.published(), r.failed(), r.received(), r.throughput(),
				r.publishRate(), r.p50Millis(), r.p99Millis(), r.maxMillis(), r.outOfOrder(), r.threadsStarted(),
				r.peakLiveThreads());
	}

	private static String summary(List<PubSubRun.Result> results, List<Integer> threadCounts, int repetitions,
			Duration duration, int payloadBytes, String redisVersion, List<String> descriptions, double threadStarts,
			double seconds) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"Medians of %d runs of %.1f s each; %d-byte JSON payload; redis-server %s; %d CPUs; "
						+ "this JVM started %.0f threads/s; whole run %.0f s%n",
				repetitions, duration.toMillis() / 1000.0, payloadBytes, redisVersion,
				Runtime.getRuntime().availableProcessors(), threadStarts, seconds));
		descriptions.forEach((description) -> out.append("  ").append(description).append('\n'));
		out.append('\n');
		out.append("| load | publishers | side | received msg/s | p50 (ms) | p99 (ms) | out of order (all runs) "
				+ "| threads started per run |\n");
		out.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
		List<String> ratios = new ArrayList<>();
		for (int rate : results.stream().map(PubSubRun.Result::rate).distinct().toList()) {
			String load = (rate > 0) ? String.format(Locale.ROOT, "paced, %,d msg/s", rate) : "saturated";
			for (int threads : threadCounts) {
				double[] throughput = new double[2];
				double[] p99 = new double[2];
				int index = 0;
				for (String side : List.of("plain container", "starter")) {
					List<PubSubRun.Result> rows = results.stream()
						.filter((r) -> r.rate() == rate && r.threads() == threads && r.side().equals(side))
						.toList();
					long outOfOrder = rows.stream().mapToLong(PubSubRun.Result::outOfOrder).sum();
					long received = rows.stream().mapToLong(PubSubRun.Result::received).sum();
					long lost = rows.stream().mapToLong((r) -> r.published() - r.received()).sum();
					long failed = rows.stream().mapToLong(PubSubRun.Result::failed).sum();
					throughput[index] = Statistics.median(rows, PubSubRun.Result::throughput);
					p99[index] = Statistics.median(rows, PubSubRun.Result::p99Millis);
					out.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %.2f | %.2f | %,d of %,d%s | %,.0f |%n",
							load, threads, side, throughput[index], Statistics.median(rows, PubSubRun.Result::p50Millis), p99[index],
							outOfOrder, received,
							(lost != 0 || failed != 0)
									? String.format(Locale.ROOT, " (%,d not received, %,d publishes failed)", lost, failed)
									: "",
							Statistics.median(rows, (r) -> r.threadsStarted())));
					index++;
				}
				ratios.add(String.format(Locale.ROOT,
						"%s, %d publisher(s): starter/plain throughput %.2f; p99 plain/starter %.1f", load, threads,
						throughput[1] / throughput[0], p99[0] / p99[1]));
			}
		}
		out.append('\n');
		ratios.forEach((ratio) -> out.append(ratio).append('\n'));
		return out.toString();
	}

	/** How fast this JVM starts (and ends) threads here: the plain container's default executor starts one per message. */
	private static double threadStartsPerSecond() throws InterruptedException {
		int count = 2_000;
		Thread[] threads = new Thread[count];
		long begin = System.nanoTime();
		for (int i = 0; i < count; i++) {
			threads[i] = new Thread(() -> {
			});
			threads[i].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return count / ((System.nanoTime() - begin) / 1e9);
	}

}
