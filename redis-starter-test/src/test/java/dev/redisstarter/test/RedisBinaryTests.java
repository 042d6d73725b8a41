package dev.redisstarter.test;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("compat")
class RedisBinaryTests {

	@Test
	void extractsTheBundledBinaryAndRunsRedis62() {
		Path binary = RedisBinary.bundled();
		assertThat(Files.isExecutable(binary)).isTrue();
		assertThat(RedisBinary.bundled()).as("extracted once, then reused").isEqualTo(binary);
		try (LocalRedisServer server = LocalRedisServer.builder().binary(binary).build().start()) {
			assertThat(server.version()).startsWith("6.2.");
		}
	}

	@Test
	void systemPropertyBundledForcesTheBundledBinary() {
		String previous = System.getProperty(RedisBinary.BINARY_PROPERTY);
		System.setProperty(RedisBinary.BINARY_PROPERTY, "bundled");
		try {
			assertThat(RedisBinary.resolve()).isEqualTo(RedisBinary.bundled());
		}
		finally {
			if (previous == null) {
				System.clearProperty(RedisBinary.BINARY_PROPERTY);
			}
			else {
				System.setProperty(RedisBinary.BINARY_PROPERTY, previous);
			}
		}
	}

}
