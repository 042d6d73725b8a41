package dev.redisstarter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks once per thread count ({@code --threads 1,16} by default), writes JMH's JSON for each
 * under {@code benchmarks/target/}, and prints one table of all runs side by side. Every other argument is
 * passed to JMH (a benchmark regex, {@code -f}, {@code -wi}, {@code -i}, ...).
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
		List<Integer> threadCounts = List.of(1, 16);
		List<String> jmhArgs = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--threads") && i + 1 < args.length) {
				threadCounts = Arrays.stream(args[++i].split(",")).map(String::strip).map(Integer::parseInt).toList();
			}
			else {
				jmhArgs.add(args[i]);
			}
		}
		CommandLineOptions commandLine = new CommandLineOptions(jmhArgs.toArray(String[]::new));
		Path output = Statistics.outputDirectory();
		List<Row> rows = new ArrayList<>();
		for (int threads : threadCounts) {
			Path json = output.resolve("jmh-result-" + threads + "-threads.json");
			ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine)
				.threads(threads)
				.resultFormat(ResultFormatType.JSON)
				.result(json.toString())
				.shouldFailOnError(true);
			if (commandLine.getIncludes().isEmpty()) {
				options.include("dev\\.redisstarter\\.benchmarks\\..*");
			}
			if (!commandLine.getForkCount().hasValue()) {
				options.forks(1);
			}
			if (!commandLine.getWarmupIterations().hasValue()) {
				options.warmupIterations(3).warmupTime(TimeValue.seconds(2));
			}
			if (!commandLine.getMeasurementIterations().hasValue()) {
				options.measurementIterations(5).measurementTime(TimeValue.seconds(2));
			}
			Collection<RunResult> results = new Runner(options.build()).run();
			for (RunResult result : results) {
				rows.add(Row.of(threads, result));
			}
		}
		String table = Row.table(rows);
		System.out.println();
		System.out.println(table);
		Files.writeString(output.resolve("jmh-summary.txt"), table);
		System.out.println("JSON results and this table are in " + output);
	}

	/** One benchmark at one thread count. */
	record Row(String benchmark, int threads, double score, double error, String unit) {

		static Row of(int threads, RunResult result) {
			String label = result.getParams().getBenchmark().replaceFirst("^dev\\.redisstarter\\.benchmarks\\.", "");
			return new Row(label, threads, result.getPrimaryResult().getScore(),
					result.getPrimaryResult().getScoreError(), result.getPrimaryResult().getScoreUnit());
		}

		static String table(List<Row> rows) {
			int width = rows.stream().mapToInt((row) -> row.benchmark().length()).max().orElse(9);
			StringBuilder table = new StringBuilder();
			String format = "%-" + width + "s  %7s  %14s  %12s  %s%n";
			table.append(String.format(Locale.ROOT, format, "Benchmark", "Threads", "Score", "Error (99.9%)", "Units"));
			for (Row row : rows) {
				table.append(String.format(Locale.ROOT, format, row.benchmark(), row.threads(),
						String.format(Locale.ROOT, "%.1f", row.score()),
						Double.isNaN(row.error()) ? "-" : String.format(Locale.ROOT, "± %.1f", row.error()), row.unit()));
			}
			return table.toString();
		}

	}

}
