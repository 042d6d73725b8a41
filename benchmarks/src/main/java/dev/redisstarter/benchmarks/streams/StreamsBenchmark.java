package dev.redisstarter.benchmarks.streams;

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
 * Consume-and-acknowledge throughput of a consumer group over a stream of small JSON entries: the starter's
 * {@code @StreamListener} in its single and batch forms ({@link StarterSide}) against a plain Spring Data Redis
 * {@code StreamMessageListenerContainer} with manual acknowledgement ({@link ContainerSide}), side by side in one JVM
 * on one private {@code redis-server} (127.0.0.1, a free port, stopped at the end). Before every run the side's
 * stream is filled afresh with the same entries, written the same way (pipelined {@code XADD} of a {@link Reading}
 * as JSON in the {@code payload} field); the run measures from the consumer's start until every entry is handled
 * and acknowledged ({@link StreamRun}). Each side is warmed up once, then each (concurrency, side) is measured
 * {@code --repetitions} times, rotating which side goes first; the summary gives medians.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.redisstarter.benchmarks.streams.StreamsBenchmark \
 *     [--entries 50000] [--warmup-entries 20000] [--repetitions 3] [--concurrency 1,8] [--read-count 100]
 * </pre>
 * The summary is also written to {@code benchmarks/target/streams-summary.txt}.
 */
public final class StreamsBenchmark {

	private static final Duration READ_BLOCK = Duration.ofMillis(200);

	private StreamsBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int entries = 50_000;
		int warmupEntries = 20_000;
		int repetitions = 3;
		List<Integer> concurrencies = List.of(1, 8);
		int readCount = 100;
		for (int i = 0; i + 1 < args.length; i += 2) {
			String value = args[i + 1];
			switch (args[i]) {
				case "--entries" -> entries = Integer.parseInt(value);
				case "--warmup-entries" -> warmupEntries = Integer.parseInt(value);
				case "--repetitions" -> repetitions = Integer.parseInt(value);
				case "--concurrency" -> concurrencies = Arrays.stream(value.split(",")).map(String::strip).map(Integer::parseInt).toList();
				case "--read-count" -> readCount = Integer.parseInt(value);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]);
			}
		}
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		JsonMapper mapper = JsonMapper.builder().build();
		List<String> payloads = new ArrayList<>(entries);
		for (int seq = 0; seq < entries; seq++) {
			payloads.add(mapper.writeValueAsString(Reading.of(seq)));
		}
		int payloadBytes = payloads.get(entries / 2).length();
		List<String> warmup = payloads.subList(0, Math.min(warmupEntries, entries));
		List<StreamRun.Result> results = new ArrayList<>();
		List<String> descriptions = new ArrayList<>();
		String redisVersion;
		long began = System.nanoTime();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				RedisProbe redis = new RedisProbe(server.host(), server.port())) {
			redisVersion = server.version();
			System.out.println("redis-server " + redisVersion + " on " + server.address() + "; " + entries + " entries of "
					+ payloadBytes + " bytes of JSON; read count " + readCount + "; "
					+ Runtime.getRuntime().availableProcessors() + " CPUs");
			Tally tally = new Tally();
			List<List<Side>> sidesByConcurrency = new ArrayList<>();
			try {
				for (int concurrency : concurrencies) {
					sidesByConcurrency.add(List.of(
							new ContainerSide(server.host(), server.port(), "plain:stream:{plain-" + concurrency + "}",
									concurrency, readCount, READ_BLOCK, mapper, tally),
							new StarterSide(server.host(), server.port(), "single-" + concurrency, false, concurrency,
									readCount, READ_BLOCK, tally),
							new StarterSide(server.host(), server.port(), "batch-" + concurrency, true, concurrency,
									readCount, READ_BLOCK, tally)));
				}
				for (Side side : sidesByConcurrency.get(0)) {
					descriptions.add(side.name() + ": " + side.description());
				}
				for (List<Side> sides : sidesByConcurrency) {
					for (Side side : sides) {
						System.out.println("warm-up  " + line(StreamRun.run(side, redis, tally, warmup, 0)));
					}
				}
				for (int repetition = 1; repetition <= repetitions; repetition++) {
					for (List<Side> sides : sidesByConcurrency) {
						for (int i = 0; i < sides.size(); i++) {
							Side side = sides.get((i + repetition - 1) % sides.size());
							StreamRun.Result result = StreamRun.run(side, redis, tally, payloads, repetition);
							results.add(result);
							System.out.println("measured " + line(result));
						}
					}
				}
			}
			finally {
				((Logger) LoggerFactory.getLogger("io.lettuce")).setLevel(Level.ERROR);
				sidesByConcurrency.forEach((sides) -> sides.forEach(Side::close));
			}
		}
		String summary = summary(results, concurrencies, repetitions, entries, payloadBytes, readCount, redisVersion,
				descriptions, (System.nanoTime() - began) / 1e9);
		System.out.println();
		System.out.println(summary);
		Path file = Statistics.outputDirectory().resolve("streams-summary.txt");
		Files.writeString(file, summary);
		System.out.println("Written to " + file);
		System.exit(0);
	}

	private static String line(StreamRun.Result r) {
		return String.format(Locale.ROOT,
				"%-14s concurrency=%d rep=%d entries=%d %.3f s %.0f entries/s%s handled=%d missing=%d duplicates=%d "
						+ "checksum=%s pending=%d lag=%d XREADGROUP=%d XACK=%d connections=%d",
				r.side(), r.concurrency(), r.repetition(), r.entries(), r.seconds(), r.throughput(),
				r.complete() ? "" : " (INCOMPLETE)", r.handled(), r.missing(), r.duplicates(), r.checksumOk() ? "ok" : "WRONG",
				r.pendingAtEnd(), r.lagAtEnd(), r.reads(), r.acks(), r.connections());
	}

	private static String summary(List<StreamRun.Result> results, List<Integer> concurrencies, int repetitions,
			int entries, int payloadBytes, int readCount, String redisVersion, List<String> descriptions,
			double seconds) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"Medians of %d runs; %,d entries of %d-byte JSON per run; read count %d, block %d ms; redis-server %s; "
						+ "%d CPUs; whole run %.0f s%n",
				repetitions, entries, payloadBytes, readCount, READ_BLOCK.toMillis(), redisVersion,
				Runtime.getRuntime().availableProcessors(), seconds));
		descriptions.forEach((description) -> out.append("  ").append(description).append('\n'));
		out.append('\n');
		out.append("| concurrency | side | entries/s | runs (min–max) | vs container | XREADGROUP per run | XACK per run "
				+ "| connections opened per run | lost / duplicated / left pending (all runs) |\n");
		out.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
		List<String> verdicts = new ArrayList<>();
		for (int concurrency : concurrencies) {
			double container = Double.NaN;
			for (String side : List.of("container", "starter", "starter batch")) {
				List<StreamRun.Result> rows = results.stream()
					.filter((r) -> r.concurrency() == concurrency && r.side().equals(side))
					.toList();
				if (rows.isEmpty()) {
					continue;
				}
				double throughput = Statistics.median(rows, StreamRun.Result::throughput);
				if (side.equals("container")) {
					container = throughput;
				}
				long lost = rows.stream().mapToLong(StreamRun.Result::missing).sum();
				long duplicated = rows.stream().mapToLong(StreamRun.Result::duplicates).sum();
				long pending = rows.stream().mapToLong(StreamRun.Result::pendingAtEnd).sum();
				long unclean = rows.stream().filter((r) -> !r.clean()).count();
				double min = rows.stream().mapToDouble(StreamRun.Result::throughput).min().orElseThrow();
				double max = rows.stream().mapToDouble(StreamRun.Result::throughput).max().orElseThrow();
				out.append(String.format(Locale.ROOT,
						"| %d | %s | %,.0f | %,.0f–%,.0f | %.2f× | %,.0f | %,.0f | %,.0f | %,d / %,d / %,d%s |%n",
						concurrency, side, throughput, min, max, throughput / container, Statistics.median(rows, (r) -> r.reads()),
						Statistics.median(rows, (r) -> r.acks()), Statistics.median(rows, (r) -> r.connections()), lost, duplicated, pending,
						(unclean > 0) ? String.format(Locale.ROOT, " (%d of %d runs not clean)", unclean, rows.size()) : ""));
				if (!side.equals("container")) {
					double goal = side.equals("starter batch") ? 1.5 : 1.0;
					double ratio = throughput / container;
					verdicts.add(String.format(Locale.ROOT, "concurrency %d, %s: %.2f× the container (goal %.1f×): %s",
							concurrency, side, ratio, goal, (ratio >= goal) ? "met" : "NOT met"));
				}
			}
		}
		out.append('\n');
		verdicts.forEach((verdict) -> out.append(verdict).append('\n'));
		return out.toString();
	}

}
