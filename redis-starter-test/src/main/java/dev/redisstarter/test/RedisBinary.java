package dev.redisstarter.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Finds the {@code redis-server} executable to launch, in this order:
 * <ol>
 * <li>the system property {@code redis.starter.test.binary}: a path, or {@code bundled} to force the binary
 * bundled in {@code com.github.codemonstur:embedded-redis};</li>
 * <li>the environment variable {@code REDIS_SERVER_BIN};</li>
 * <li>{@code redis-server} on the {@code PATH};</li>
 * <li>the bundled binary (Redis 6.2), extracted once into the temporary directory and made executable.</li>
 * </ol>
 */
public final class RedisBinary {

	/** System property that overrides the choice of binary. */
	public static final String BINARY_PROPERTY = "redis.starter.test.binary";

	private RedisBinary() {
	}

	/**
	 * The binary to launch.
	 * @return the path of an executable {@code redis-server}
	 */
	public static Path resolve() {
		String property = System.getProperty(BINARY_PROPERTY);
		if (property != null && !property.isBlank()) {
			return property.strip().equals("bundled") ? bundled() : existing(Path.of(property.strip()), BINARY_PROPERTY);
		}
		String env = System.getenv("REDIS_SERVER_BIN");
		if (env != null && !env.isBlank()) {
			return existing(Path.of(env.strip()), "REDIS_SERVER_BIN");
		}
		Path onPath = findOnPath("redis-server");
		return (onPath != null) ? onPath : bundled();
	}

	/**
	 * The binary bundled in {@code embedded-redis} for this operating system and architecture, extracted
	 * into {@code java.io.tmpdir} the first time (several JVMs may race to extract it: each writes a file of
	 * its own and moves it into place atomically).
	 * @return the path of the extracted executable
	 */
	public static Path bundled() {
		String resource = bundledResourceName();
		Path target = Path.of(System.getProperty("java.io.tmpdir"), "redis-starter-test", resource);
		if (Files.isExecutable(target)) {
			return target;
		}
		try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No bundled redis-server '" + resource
						+ "' on the classpath: add com.github.codemonstur:embedded-redis, put redis-server on the PATH, or set REDIS_SERVER_BIN");
			}
			Files.createDirectories(target.getParent());
			Path partial = Files.createTempFile(target.getParent(), resource, ".part");
			Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
			if (!partial.toFile().setExecutable(true)) {
				throw new IllegalStateException("Cannot make " + partial + " executable");
			}
			try {
				Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
			}
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot extract the bundled redis-server to " + target, ex);
		}
	}

	static String bundledResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm64");
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		throw new IllegalStateException("No bundled redis-server for " + os + "/" + arch
				+ ": put redis-server on the PATH or set REDIS_SERVER_BIN");
	}

	private static Path existing(Path path, String source) {
		if (!Files.isExecutable(path)) {
			throw new IllegalStateException(source + " names " + path + ", which is not an executable file");
		}
		return path;
	}

	private static @Nullable Path findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

}
