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

	/** A Redisson client on this server, for the comparisons; the caller shuts it down. */
	org.redisson.api.RedissonClient redisson() {
		org.redisson.config.Config config = new org.redisson.config.Config();
		config.useSingleServer().setAddress(url());
		return org.redisson.Redisson.create(config);
	}

	/** A started Spring connection factory on this server; the caller destroys it. */
	org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory connectionFactory() {
		var factory = new org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory(host(), port());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** How often a command has run on this server so far (from {@code INFO commandstats}). */
	long commandCalls(String command) {
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(url());
		try (var connection = client.connect()) {
			for (String line : connection.sync().info("commandstats").split("\r?\n")) {
				if (line.startsWith("cmdstat_" + command + ":calls=")) {
					return Long.parseLong(line.replaceFirst("^[^=]*=(\\d+),.*$", "$1"));
				}
			}
			return 0;
		}
		finally {
			client.shutdown();
		}
	}

	@Override
	public void close() {
		this.server.close();
	}

}
