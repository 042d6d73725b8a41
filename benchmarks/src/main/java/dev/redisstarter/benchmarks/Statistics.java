package dev.redisstarter.benchmarks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What every benchmark harness reports with: medians of repeated runs, and the folder beside the benchmark jar
 * where summaries are written ({@code benchmarks/target/}).
 */
public final class Statistics {

	private Statistics() {
	}

	/**
	 * The median of one value over runs.
	 * @param <T> the runs
	 * @param rows the runs
	 * @param value the value of one run
	 * @return the median, NaN when there is no run
	 */
	public static <T> double median(List<T> rows, ToDoubleFunction<T> value) {
		double[] values = rows.stream().mapToDouble(value).sorted().toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	/**
	 * The folder that holds the benchmark jar (or classes), created when missing.
	 * @return the folder
	 * @throws IOException when it cannot be found or created
	 */
	public static Path outputDirectory() throws IOException {
		try {
			Path jar = Path.of(Statistics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			Path directory = jar.getParent();
			Files.createDirectories(directory);
			return directory;
		}
		catch (URISyntaxException ex) {
			throw new IOException(ex);
		}
	}

}
