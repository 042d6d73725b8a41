package dev.redisstarter.benchmarks;

import dev.redisstarter.test.RedisServer;

/**
 * The Redis a benchmark fork runs against: the server named by {@code REDIS_URL}, or a private
 * {@code redis-server} started for the fork and stopped at its end.
 */
final class BenchmarkRedis implements AutoCloseable {

	private final RedisServer server;

	BenchmarkRedis() {
		this.server = RedisServer.create().start();
	}

	String host() {
		return this.server.host();
	}

	int port() {
		return this.server.port();
	}

	String url() {
		return this.server.url();
	}

	@Override
	public void close() {
		this.server.close();
	}

}
