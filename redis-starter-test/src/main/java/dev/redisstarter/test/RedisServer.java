package dev.redisstarter.test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

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

	/**
	 * The user clients authenticate as.
	 * @return the user name, or {@code null} for the default user
	 */
	default @Nullable String username() {
		return null;
	}

	/**
	 * The password clients authenticate with.
	 * @return the password, or {@code null} when the server asks for none
	 */
	default @Nullable String password() {
		return null;
	}

	/**
	 * The certificate clients trust, PEM, for a server that listens with TLS.
	 * @return the file, or {@code null} without TLS
	 */
	default @Nullable Path trustedCertificate() {
		return null;
	}

	/**
	 * The URL with the credentials in it, and for TLS a PEM SSL bundle named {@code redis} that
	 * trusts the server's certificate.
	 */
	@Override
	default Map<String, String> springDataRedisProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		String url = url();
		if (password() != null) {
			// In the URL: Spring Boot ignores spring.data.redis.username and password when a URL is set.
			String user = (username() != null) ? URLEncoder.encode(username(), StandardCharsets.UTF_8) : "";
			url = url.replaceFirst("://", "://" + user + ":" + URLEncoder.encode(password(), StandardCharsets.UTF_8) + "@");
		}
		properties.put("spring.data.redis.url", url);
		if (trustedCertificate() != null) {
			properties.put("spring.ssl.bundle.pem.redis.truststore.certificate", "file:" + trustedCertificate());
			properties.put("spring.data.redis.ssl.bundle", "redis");
		}
		return properties;
	}

	/** Stops the server and releases what it holds. */
	@Override
	void close();

}
