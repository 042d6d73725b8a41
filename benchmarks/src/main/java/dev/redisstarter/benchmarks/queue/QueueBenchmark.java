package dev.redisstarter.benchmarks.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.benchmarks.Statistics;
import dev.redisstarter.test.LocalRedisServer;

/**
 * The starter's job queue against BullMQ, side by side in one run on one private {@code redis-server} (127.0.0.1, a
 * free port, stopped at the end), with the same JSON payload ({@link Task}, about 110 bytes) and no-op handlers that
 * only check each job runs once. BullMQ runs in Node.js ({@link BullSide}: installed from the npm registry into
 * {@code benchmarks/target/bullmq-node/} by the first run), the starter in this JVM ({@link StarterSide}).
 * Retention and leases are on for both: BullMQ with {@code removeOnComplete: {count: 1000}} and its default
 * locks, the starter with its defaults.
 *
 * <p>The phases ({@link Phase}), each on a freshly flushed server, each warmed up on another queue first:
 * <ul>
 * <li>enqueue: {@code --jobs} single adds from {@code --producers} concurrent producers sharing one client; then
 * {@code --jobs} bulk adds in batches of {@code --batch} from one producer;</li>
 * <li>drain: a backlog of {@code --drain-jobs} (added in bulk, not measured) run by one worker with concurrency 16, then 1,
 * measured from the worker's start until the last job is completed in Redis;</li>
 * <li>latency: an idle worker (concurrency {@code --latency-concurrency}), adds paced at {@code --rate} per second for
 * {@code --seconds}, from just before the add call to the start of the handler.</li>
 * </ul>
 * Each side reads {@code INFO commandstats} and {@code INFO cpu} just before and after its measured window (commands
 * run inside Lua scripts count). A first round of every phase on both sides ({@code --warmup-rounds}) is not
 * measured: the JVM's JIT needs more than one run's warm-up (each BullMQ run is a new Node.js process, warmed up by
 * its own first part). Then each phase runs {@code --repetitions} times per side, rotating which side goes first;
 * the summary gives medians and the starter-to-BullMQ ratios against the goals of issue #16.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.redisstarter.benchmarks.queue.QueueBenchmark \
 *     [--jobs 30000] [--drain-jobs 50000] [--warmup-jobs 5000] [--warmup-rounds 1] [--repetitions 3] \
 *     [--producers 16] [--batch 100] \
 *     [--latency-concurrency 16] [--rate 200] [--seconds 5] [--warmup-seconds 1] \
 *     [--sides bullmq,starter] [--phases enqueue-single,enqueue-bulk,enqueue-async,drain-16,drain-1,latency] \
 *     [--node node] [--npm npm] [--bullmq-dir benchmarks/bullmq]
 * </pre>
 * The summary is also written to {@code benchmarks/target/queue-summary.txt}.
 */
public final class QueueBenchmark {

	private QueueBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int jobs = 30_000;
		int drainJobs = 50_000;
		int warmupJobs = 5_000;
		int repetitions = 3;
		int warmupRounds = 1;
		int producers = 16;
		int batch = 100;
		int latencyConcurrency = 16;
		int rate = 200;
		double seconds = 5;
		double warmupSeconds = 1;
		List<String> sideNames = List.of("bullmq", "starter");
		List<Phase> phases = List.of(Phase.values());
		String node = "node";
		String npm = "npm";
		Path bullmqDirectory = null;
		for (int i = 0; i + 1 < args.length; i += 2) {
			String value = args[i + 1];
			switch (args[i]) {
				case "--jobs" -> jobs = Integer.parseInt(value);
				case "--drain-jobs" -> drainJobs = Integer.parseInt(value);
				case "--warmup-jobs" -> warmupJobs = Integer.parseInt(value);
				case "--repetitions" -> repetitions = Integer.parseInt(value);
				case "--warmup-rounds" -> warmupRounds = Integer.parseInt(value);
				case "--producers" -> producers = Integer.parseInt(value);
				case "--batch" -> batch = Integer.parseInt(value);
				case "--latency-concurrency" -> latencyConcurrency = Integer.parseInt(value);
				case "--rate" -> rate = Integer.parseInt(value);
				case "--seconds" -> seconds = Double.parseDouble(value);
				case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
				case "--sides" -> sideNames = Arrays.stream(value.split(",")).map(String::strip).toList();
				case "--phases" -> phases = Arrays.stream(value.split(","))
					.map(String::strip)
					.map(QueueBenchmark::phase)
					.toList();
				case "--node" -> node = value;
				case "--npm" -> npm = value;
				case "--bullmq-dir" -> bullmqDirectory = Path.of(value);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]);
			}
		}
		Settings settings = new Settings(jobs, drainJobs, warmupJobs, producers, batch, latencyConcurrency, rate, seconds,
				warmupSeconds);
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		JsonMapper mapper = JsonMapper.builder().build();
		int payloadBytes = mapper.writeValueAsString(Task.of(jobs / 2)).length();
		Path output = Statistics.outputDirectory();
		if (bullmqDirectory == null) {
			bullmqDirectory = output.resolveSibling("bullmq");
		}
		List<PhaseResult> results = new ArrayList<>();
		List<String> descriptions = new ArrayList<>();
		List<String> names = new ArrayList<>();
		String redisVersion;
		long began = System.nanoTime();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				QueueProbe probe = new QueueProbe(server.host(), server.port())) {
			redisVersion = server.version();
			System.out.println("redis-server " + redisVersion + " on " + server.address() + "; " + payloadBytes
					+ "-byte JSON payload; " + Runtime.getRuntime().availableProcessors() + " CPUs");
			List<Side> sides = new ArrayList<>();
			try {
				for (String name : sideNames) {
					sides.add(switch (name) {
						case "bullmq" -> new BullSide(server.host(), server.port(), bullmqDirectory,
								output.resolve("bullmq-node"), node, npm, mapper);
						case "starter" -> new StarterSide(server.host(), server.port(), probe, settings);
						default -> throw new IllegalArgumentException("Unknown side " + name + " (bullmq, starter)");
					});
				}
				sides.forEach((side) -> names.add(side.name()));
				for (int round = 1; round <= warmupRounds; round++) {
					for (Phase phase : phases) {
						for (Side side : sides) {
							probe.flushAll();
							System.out.println("warm-up " + line(side.run(phase, settings, 0)));
						}
					}
				}
				for (int repetition = 1; repetition <= repetitions; repetition++) {
					for (Phase phase : phases) {
						for (int i = 0; i < sides.size(); i++) {
							Side side = sides.get((i + repetition - 1) % sides.size());
							probe.flushAll();
							System.gc();
							PhaseResult result = side.run(phase, settings, repetition);
							results.add(result);
							System.out.println(line(result));
						}
					}
				}
				sides.forEach((side) -> descriptions.add(side.name() + ": " + side.description()));
			}
			finally {
				((Logger) LoggerFactory.getLogger("io.lettuce")).setLevel(Level.ERROR);
				sides.forEach(Side::close);
			}
		}
		String summary = summary(results, names, phases, settings, repetitions, warmupRounds, payloadBytes, redisVersion,
				descriptions, (System.nanoTime() - began) / 1e9);
		System.out.println();
		System.out.println(summary);
		Path file = output.resolve("queue-summary.txt");
		Files.writeString(file, summary);
		System.out.println("Written to " + file);
		System.exit(0);
	}

	private static Phase phase(String name) {
		return switch (name) {
			case "enqueue-single" -> Phase.ENQUEUE_SINGLE;
			case "enqueue-bulk" -> Phase.ENQUEUE_BULK;
			case "enqueue-async" -> Phase.ENQUEUE_ASYNC;
			case "drain-16" -> Phase.DRAIN_16;
			case "drain-1" -> Phase.DRAIN_1;
			case "latency" -> Phase.LATENCY;
			default -> throw new IllegalArgumentException("Unknown phase " + name
					+ " (enqueue-single, enqueue-bulk, drain-16, drain-1, latency)");
		};
	}

	private static String line(PhaseResult r) {
		String measure = (r.phase() == Phase.LATENCY)
				? String.format(Locale.ROOT, "p50 %.2f ms p99 %.2f ms max %.2f ms", r.p50Ms(), r.p99Ms(), r.maxMs())
				: String.format(Locale.ROOT, "%,.0f jobs/s", r.jobsPerSecond());
		return String.format(Locale.ROOT,
				"%-7s rep=%d %-14s%s jobs=%d %.3f s %s; %.1f commands/job (%.2f scripts), Redis CPU %.0f µs/job, "
						+ "Redis memory %+.0f B/job, "
						+ "client CPU %.0f µs/job, GC %d × %.0f ms; handled=%d duplicates=%d missing=%d; left %s; top: %s",
				r.side(), r.repetition(), r.phase().label(), r.phase().isDrain() ? " c" + r.phase().concurrency() : "",
				r.jobs(), r.seconds(), measure, r.commandsPerJob(), r.scriptsPerJob(), r.redisCpuMicrosPerJob(),
				r.redisBytesPerJob(),
				r.clientCpuMicrosPerJob(), r.gcCount(), r.gcMillis(), r.handled(), r.duplicates(), r.missing(), r.left(),
				topCommands(r, 8));
	}

	private static String topCommands(PhaseResult r, int limit) {
		return r.byCommand()
			.entrySet()
			.stream()
			.filter((e) -> e.getValue() * 100L >= r.jobs())
			.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
				.thenComparing(Map.Entry.comparingByKey()))
			.limit(limit)
			.map((e) -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), (double) e.getValue() / r.jobs()))
			.collect(Collectors.joining(", "));
	}

	private static String summary(List<PhaseResult> results, List<String> sides, List<Phase> phases, Settings settings,
			int repetitions, int warmupRounds, int payloadBytes, String redisVersion, List<String> descriptions,
			double seconds) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"Medians of %d runs (after %d unmeasured round(s) of every phase); %,d jobs per enqueue run, a backlog "
						+ "of %,d per drain run (each run after a warm-up of %,d), %d-byte JSON payload, no-op handlers; "
						+ "single adds from %d producers, bulk adds of %d; latency: %d adds/s for %.0f s to an idle worker "
						+ "of concurrency %d; redis-server %s; %d CPUs; whole run %.0f s%n",
				repetitions, warmupRounds, settings.jobs(), settings.drainJobs(), settings.warmupJobs(), payloadBytes,
				settings.producers(), settings.batch(), settings.rate(), settings.seconds(), settings.latencyConcurrency(),
				redisVersion, Runtime.getRuntime().availableProcessors(), seconds));
		descriptions.forEach((description) -> out.append("  ").append(description).append('\n'));
		out.append('\n');
		String first = sides.get(0);
		String last = sides.get(sides.size() - 1);
		boolean compare = sides.size() == 2;
		out.append("| measure | ").append(String.join(" | ", sides));
		out.append(compare ? " | " + last + " ÷ " + first + " | goal |" : " |").append('\n');
		out.append("| --- |").append(" ---: |".repeat(sides.size())).append(compare ? " ---: | --- |" : "").append('\n');
		List<String> verdicts = new ArrayList<>();
		for (Phase phase : phases) {
			if (phase == Phase.LATENCY) {
				row(out, verdicts, results, sides, phase, "add-to-start latency p50 (ms)", PhaseResult::p50Ms, 0, false);
				row(out, verdicts, results, sides, phase, "add-to-start latency p99 (ms)", PhaseResult::p99Ms, 1, false);
			}
			else {
				String label = switch (phase) {
					case ENQUEUE_SINGLE -> "enqueue, single adds, " + settings.producers() + " producers (jobs/s)";
					case ENQUEUE_BULK -> "enqueue, bulk adds of " + settings.batch() + " (jobs/s)";
					case ENQUEUE_ASYNC -> "enqueue, starter enqueueAsync from 1 producer vs BullMQ addBulk of "
							+ settings.batch() + " (jobs/s)";
					default -> "drain " + String.format(Locale.ROOT, "%,d", settings.drainJobs()) + ", concurrency "
							+ phase.concurrency() + " (jobs/s)";
				};
				row(out, verdicts, results, sides, phase, label, PhaseResult::jobsPerSecond, phase.isDrain() ? 2 : 1, true);
			}
		}
		out.append('\n');
		out.append("| phase | side | runs (min–max) | commands per job | of which scripts | Redis CPU µs per job "
				+ "| Redis memory per waiting job | client CPU µs per job | client GC (median run) "
				+ "| lost / duplicated (all runs) |\n");
		out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
		for (Phase phase : phases) {
			for (String side : sides) {
				List<PhaseResult> rows = rows(results, side, phase);
				if (rows.isEmpty()) {
					continue;
				}
				ToDoubleFunction<PhaseResult> measure = (phase == Phase.LATENCY) ? PhaseResult::p99Ms
						: PhaseResult::jobsPerSecond;
				double min = rows.stream().mapToDouble(measure).min().orElseThrow();
				double max = rows.stream().mapToDouble(measure).max().orElseThrow();
				out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.2f | %.0f | %s | %.0f | %s | %s |%n",
						phaseName(phase),
						side, (phase == Phase.LATENCY) ? String.format(Locale.ROOT, "p99 %.2f–%.2f ms", min, max)
								: String.format(Locale.ROOT, "%,.0f–%,.0f jobs/s", min, max),
						Statistics.median(rows, PhaseResult::commandsPerJob), Statistics.median(rows, PhaseResult::scriptsPerJob),
						Statistics.median(rows, PhaseResult::redisCpuMicrosPerJob),
						phase.isEnqueue()
								? String.format(Locale.ROOT, "%.0f B", Statistics.median(rows, PhaseResult::redisBytesPerJob)) : "–",
						Statistics.median(rows, PhaseResult::clientCpuMicrosPerJob),
						String.format(Locale.ROOT, "%.0f × %.0f ms", Statistics.median(rows, (r) -> r.gcCount()),
								Statistics.median(rows, PhaseResult::gcMillis)),
						phase.isEnqueue() ? "–" : rows.stream().mapToLong(PhaseResult::missing).sum() + " / "
								+ rows.stream().mapToLong(PhaseResult::duplicates).sum()));
			}
		}
		out.append('\n');
		out.append("Commands per job by name (all runs together; those inside Lua scripts included):\n");
		for (Phase phase : phases) {
			for (String side : sides) {
				List<PhaseResult> rows = rows(results, side, phase);
				if (rows.isEmpty()) {
					continue;
				}
				Map<String, Long> byCommand = new TreeMap<>();
				rows.forEach((r) -> r.byCommand().forEach((command, calls) -> byCommand.merge(command, calls, Long::sum)));
				long jobs = rows.stream().mapToLong(PhaseResult::jobs).sum();
				PhaseResult all = new PhaseResult(side, phase, 0, (int) jobs, 1, 0, byCommand, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
						0, "");
				out.append(String.format(Locale.ROOT, "  %s, %s: %s%n", phaseName(phase), side, topCommands(all, 16)));
			}
		}
		if (!verdicts.isEmpty()) {
			out.append('\n');
			verdicts.forEach((verdict) -> out.append(verdict).append('\n'));
		}
		return out.toString();
	}

	private static void row(StringBuilder out, List<String> verdicts, List<PhaseResult> results, List<String> sides,
			Phase phase, String label, ToDoubleFunction<PhaseResult> measure, double goal, boolean higherIsBetter) {
		List<Double> medians = new ArrayList<>();
		out.append("| ").append(label);
		for (String side : sides) {
			List<PhaseResult> rows = rows(results, side, phase);
			double median = rows.isEmpty() ? Double.NaN : Statistics.median(rows, measure);
			medians.add(median);
			out.append(" | ").append(higherIsBetter ? String.format(Locale.ROOT, "%,.0f", median)
					: String.format(Locale.ROOT, "%.2f", median));
			if (rows.stream().anyMatch((r) -> !r.clean())) {
				out.append(" (not clean)");
			}
		}
		if (medians.size() == 2) {
			double ratio = medians.get(1) / medians.get(0);
			String goalText = (goal == 0) ? "–"
					: higherIsBetter ? String.format(Locale.ROOT, "≥ %.0f×", goal) : "≤ 1× (no worse)";
			out.append(String.format(Locale.ROOT, " | %.2f× | %s |", ratio, goalText));
			if (goal != 0) {
				boolean met = higherIsBetter ? ratio >= goal : ratio <= goal;
				verdicts.add(String.format(Locale.ROOT, "%s: %s %.2f× %s (goal %s): %s", label, sides.get(1), ratio,
						sides.get(0), goalText, met ? "met" : "NOT met"));
			}
		}
		else {
			out.append(" |");
		}
		out.append('\n');
	}

	private static String phaseName(Phase phase) {
		return phase.isDrain() ? phase.label() + " c" + phase.concurrency() : phase.label();
	}

	private static List<PhaseResult> rows(List<PhaseResult> results, String side, Phase phase) {
		return results.stream().filter((r) -> r.side().equals(side) && r.phase() == phase).toList();
	}

}
