package dev.redisstarter.cache;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;

/**
 * The writer of {@link WriteBehindCrashTests}, in a JVM of its own so that the test can kill it: persists the cache
 * {@code products} to an append-only file of {@code key<TAB>version} lines, one {@code write} call per batch (the last
 * line of a key is its value). Arguments: the Redis port, the key prefix, the file, the partitions, the lease in ms.
 * Exits when its standard input closes (the test's JVM is gone).
 */
public final class WriteBehindWriterProcess {

	private WriteBehindWriterProcess() {
	}

	/** Appends each batch as lines. */
	static final class FileStore implements WriteBehindWriter<Long> {

		private final OutputStream out;

		FileStore(Path file) throws IOException {
			this.out = new FileOutputStream(file.toFile(), true);
		}

		@Override
		public void write(String cache, Map<String, Long> upserts, Set<String> deletes) {
			StringBuilder lines = new StringBuilder(upserts.size() * 24);
			upserts.forEach((key, version) -> lines.append(key).append('\t').append(version).append('\n'));
			deletes.forEach((key) -> lines.append(key).append('\t').append('\n'));
			try {
				// One call per batch: a kill leaves whole batches behind it.
				this.out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
				this.out.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		KeyNaming naming = new KeyNaming(args[1]);
		Path file = Path.of(args[2]);
		WriteBehindPolicy policy = WriteBehindPolicy.DEFAULTS
			.withPartitions(Integer.parseInt(args[3]), Duration.ofMillis(Long.parseLong(args[4])))
			.withBatching(500, Duration.ofMillis(50));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.afterPropertiesSet();
		factory.start();
		WriteBehind writeBehind = new WriteBehind(RedisAccess.of(factory).calls(Feature.CACHE, Duration.ofSeconds(2)),
				naming, JsonMapper.builder().build(), new WriteBehindSettings(Map.of("products", policy)),
				Map.of("products", new FileStore(file)), "writer-" + ProcessHandle.current().pid(), CacheMetrics.NONE);
		writeBehind.start();
		System.out.println("READY");
		System.out.flush();
		// Until the test's JVM goes away (or kills this one first).
		while (System.in.read() >= 0) {
			// nothing to read
		}
		writeBehind.stop();
		factory.destroy();
		System.exit(0);
	}

}
