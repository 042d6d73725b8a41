package dev.redisstarter.test;

import java.net.URI;
import java.util.Map;

/**
 * One Redis server for tests and local runs.
 *
 * <p>{@link #create()} picks the server the way every test in this project does: the server named by the
 * {@code REDIS_URL} environment variable when it is set; a Redis container when Docker is asked for
 * ({@code -Dredis.starter.test.docker=true} or {@code REDIS_STARTER_TEST_DOCKER=true}) and an engine answers;
 * otherwise a private {@code redis-server} process on 127.0.0.1 and a free port (see {@link LocalRedisServer}).
 */
public interface RedisServer extends RedisDeployment, AutoCloseable {

	/**
	 * Chooses and creates a server, not yet started.
	 * @return the server to use
	 */
	static RedisServer create() {
		String url = System.getenv("REDIS_URL");
		if (url != null && !url.isBlank()) {
			return new ExternalRedisServer(URI.create(url.strip()));
		}
		if (DockerSupport.requested()) {
			return DockerSupport.createServer();
		}
		return LocalRedisServer.builder().build();
	}

	/**
	 * Starts the server; a server that runs already is left as it is. A stopped server starts again on the
	 * same port.
	 * @return this server
	 */
	RedisServer start();

	/** Stops the server and waits until its process is gone. */
	void stop();

	/**
	 * Whether the server runs.
	 * @return whether it was started and not stopped since
	 */
	boolean isRunning();

	/**
	 * The host clients connect to.
	 * @return the host name or address
	 */
	String host();

	/**
	 * The port clients connect to.
	 * @return the port
	 */
	int port();

	/**
	 * The connection URL, for {@code spring.data.redis.url}.
	 * @return the URL, such as {@code redis://127.0.0.1:6379}
	 */
	String url();

	/**
	 * The server's version, as {@code INFO server} reports it.
	 * @return the version, such as {@code 7.0.15}
	 */
	String version();

	@Override
	default Map<String, String> springDataRedisProperties() {
		return Map.of("spring.data.redis.url", url());
	}

	/** Stops the server and releases what it holds. */
	@Override
	void close();

}
