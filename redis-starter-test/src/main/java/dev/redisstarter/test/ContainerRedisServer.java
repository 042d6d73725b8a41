package dev.redisstarter.test;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis server in a Docker container, served through Testcontainers when a Docker engine answers and
 * the user asked for it (see {@link DockerSupport}). A stop followed by a start runs a new container, which
 * may be mapped to a different host port.
 */
final class ContainerRedisServer implements RedisServer {

	private static final int REDIS_PORT = 6379;

	private final DockerImageName image;

	private @Nullable GenericContainer<?> container;

	ContainerRedisServer(String image) {
		this.image = DockerImageName.parse(image);
	}

	static boolean dockerAvailable() {
		return DockerClientFactory.instance().isDockerAvailable();
	}

	@Override
	public synchronized RedisServer start() {
		if (this.container == null) {
			GenericContainer<?> created = new GenericContainer<>(this.image).withExposedPorts(REDIS_PORT);
			created.start();
			this.container = created;
		}
		return this;
	}

	@Override
	public synchronized void stop() {
		if (this.container != null) {
			this.container.stop();
			this.container = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.container != null && this.container.isRunning();
	}

	@Override
	public synchronized String host() {
		return running().getHost();
	}

	@Override
	public synchronized int port() {
		return running().getMappedPort(REDIS_PORT);
	}

	@Override
	public String url() {
		return "redis://" + host() + ":" + port();
	}

	@Override
	public String version() {
		return ServerInfo.version(host(), port());
	}

	@Override
	public void close() {
		stop();
	}

	private GenericContainer<?> running() {
		if (this.container == null) {
			throw new IllegalStateException("The Redis container is not running");
		}
		return this.container;
	}

}
