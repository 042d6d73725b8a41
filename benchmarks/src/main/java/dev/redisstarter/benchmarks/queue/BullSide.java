package dev.redisstarter.benchmarks.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * BullMQ, run by Node.js: {@code benchmarks/bullmq/bench.mjs}, one process per run. The first use installs the
 * packages of {@code benchmarks/bullmq/package.json} ({@code bullmq ^6} and {@code ioredis ^5}) from the npm registry
 * into {@code benchmarks/target/bullmq-node/} with {@code npm install}, and again only when that file changes. The
 * script prints one line of JSON with what it measured, counters included (see its header for the settings).
 */
final class BullSide implements Side {

	private static final long RUN_LIMIT_SECONDS = 180;

	private final String host;

	private final int port;

	private final String node;

	private final Path directory;

	private final JsonMapper mapper;

	private String versions = "";

	private String retention = "";

	BullSide(String host, int port, Path source, Path directory, String node, String npm, JsonMapper mapper)
			throws IOException, InterruptedException {
		this.host = host;
		this.port = port;
		this.node = node;
		this.directory = directory;
		this.mapper = mapper;
		String nodeVersion = nodeVersion(node);
		Path packageJson = source.resolve("package.json");
		Path script = source.resolve("bench.mjs");
		if (!Files.isRegularFile(packageJson) || !Files.isRegularFile(script)) {
			throw new IllegalStateException("The BullMQ side's files are not in " + source.toAbsolutePath()
					+ " (package.json and bench.mjs): run from the project's root or pass --bullmq-dir");
		}
		Files.createDirectories(directory);
		Path installed = directory.resolve("package.json");
		boolean current = Files.isRegularFile(installed) && Files.mismatch(installed, packageJson) == -1
				&& Files.isRegularFile(directory.resolve("node_modules/bullmq/package.json"));
		if (!current) {
			Files.copy(packageJson, installed, StandardCopyOption.REPLACE_EXISTING);
			System.out.println("Installing BullMQ with npm into " + directory + " (Node.js " + nodeVersion + ")");
			install(npm, directory);
		}
		Files.copy(script, directory.resolve("bench.mjs"), StandardCopyOption.REPLACE_EXISTING);
	}

	private static String nodeVersion(String node) throws InterruptedException {
		try {
			Process process = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
			String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("'" + node + " --version' failed: " + version);
			}
			int major = Integer.parseInt(version.replaceFirst("^v(\\d+).*$", "$1"));
			if (major < 18) {
				throw new IllegalStateException("The BullMQ side needs Node.js 18 or newer; '" + node + "' is " + version);
			}
			return version;
		}
		catch (IOException | NumberFormatException ex) {
			throw new IllegalStateException("The BullMQ side needs Node.js (18 or newer) and npm: '" + node
					+ "' could not be run (" + ex.getMessage() + "). Install Node.js, pass --node and --npm, "
					+ "or measure the starter alone with --sides starter", ex);
		}
	}

	private static void install(String npm, Path directory) throws IOException, InterruptedException {
		Path log = directory.resolve("npm-install.log");
		Process process;
		try {
			process = new ProcessBuilder(npm, "install", "--no-audit", "--no-fund", "--prefix", directory.toString())
				.directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The BullMQ side needs npm to install BullMQ: '" + npm + "' could not be run ("
					+ ex.getMessage() + "). Pass --npm, or measure the starter alone with --sides starter", ex);
		}
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("npm install took longer than 5 minutes; its output is in " + log);
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("npm install failed (exit " + process.exitValue() + "):\n"
					+ Files.readString(log));
		}
	}

	@Override
	public String name() {
		return "BullMQ";
	}

	@Override
	public String description() {
		return this.versions + "; " + this.retention;
	}

	@Override
	public PhaseResult run(Phase phase, Settings settings, int repetition) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(this.node, "bench.mjs", "--host", this.host, "--port",
				Integer.toString(this.port), "--phase", phase.script(), "--jobs", Integer.toString(settings.jobs(phase)),
				"--warmup-jobs", Integer.toString(settings.warmupJobs()), "--producers",
				Integer.toString(settings.producers()), "--batch", Integer.toString(settings.batch()), "--rate",
				Integer.toString(settings.rate()), "--seconds", Double.toString(settings.seconds()), "--warmup-seconds",
				Double.toString(settings.warmupSeconds())));
		command.add("--concurrency");
		command.add(Integer.toString(phase.isDrain() ? phase.concurrency() : settings.latencyConcurrency()));
		Path errors = Files.createTempFile(this.directory, "bench-", ".err");
		Path out = Files.createTempFile(this.directory, "bench-", ".out");
		double jvmCpu = QueueProbe.processCpuSeconds();
		try {
			Process process = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectError(errors.toFile())
				.redirectOutput(out.toFile())
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor();
				throw new IllegalStateException("bench.mjs " + phase.script() + " ran longer than " + RUN_LIMIT_SECONDS
						+ " s:\n" + Files.readString(errors));
			}
			String output = Files.readString(out);
			String stderr = Files.readString(errors);
			if (process.exitValue() != 0) {
				throw new IllegalStateException("bench.mjs " + phase.script() + " failed (exit " + process.exitValue() + "):\n"
						+ stderr + output);
			}
			if (!stderr.isBlank()) {
				System.err.print(stderr);
			}
			String[] lines = output.strip().split("\n");
			// The harness's JVM (the starter's idle contexts included) should stay out of the way meanwhile.
			String meanwhile = String.format(Locale.ROOT, "; this JVM used %.0f ms of CPU meanwhile",
					(QueueProbe.processCpuSeconds() - jvmCpu) * 1000);
			return result(phase, repetition, this.mapper.readValue(lines[lines.length - 1], Map.class), meanwhile);
		}
		finally {
			Files.deleteIfExists(errors);
			Files.deleteIfExists(out);
		}
	}

	private PhaseResult result(Phase phase, int repetition, Map<?, ?> json, String meanwhile) {
		this.versions = "bullmq " + json.get("bullmq") + ", ioredis " + json.get("ioredis") + ", Node.js "
				+ json.get("node");
		this.retention = String.valueOf(json.get("retention"));
		Map<String, Long> byCommand = new LinkedHashMap<>();
		((Map<?, ?>) json.get("byCommand")).forEach((command, calls) -> byCommand.put((String) command, number(calls)));
		int jobs = (int) number(json.get("jobs"));
		long handled = number(json.get("handled"));
		long duplicates = number(json.get("duplicates"));
		long missing = json.containsKey("missing") ? number(json.get("missing"))
				: (phase.isEnqueue() ? 0 : jobs - handled);
		Object left = json.containsKey("left") ? json.get("left") : json.get("waiting");
		return new PhaseResult(name(), phase, repetition, jobs, decimal(json.get("seconds")), number(json.get("commands")),
				byCommand, decimal(json.get("redisCpuSeconds")), number(json.get("redisMemoryBytes")),
				decimal(json.get("clientCpuSeconds")),
				number(json.get("gcCount")), decimal(json.get("gcMillis")), handled, duplicates,
				missing, decimal(json.get("p50Ms")), decimal(json.get("p99Ms")), decimal(json.get("maxMs")),
				left + meanwhile);
	}

	private static long number(Object value) {
		return (value instanceof Number n) ? n.longValue() : 0;
	}

	private static double decimal(Object value) {
		return (value instanceof Number n) ? n.doubleValue() : Double.NaN;
	}

	@Override
	public void close() {
	}

}
