package dev.redisstarter.test;

/**
 * Decides whether a Redis container was asked for and can be had. Kept apart from {@link RedisServer} so
 * that Testcontainers classes load only when the option is used.
 */
public final class DockerSupport {

	/** System property that asks for a container ({@code true}). */
	public static final String DOCKER_PROPERTY = "redis.starter.test.docker";

	/** Environment variable that asks for a container ({@code true}). */
	public static final String DOCKER_ENV = "REDIS_STARTER_TEST_DOCKER";

	private DockerSupport() {
	}

	/**
	 * Whether the user asked for a container instead of a local process.
	 * @return whether the property or the environment variable is {@code true}
	 */
	public static boolean requested() {
		return Boolean.parseBoolean(System.getProperty(DOCKER_PROPERTY, System.getenv(DOCKER_ENV)));
	}

	/**
	 * Whether Testcontainers is on the classpath and a Docker engine answers.
	 * @return whether containers can be started
	 */
	public static boolean available() {
		if (!testcontainersPresent()) {
			return false;
		}
		try {
			return ContainerRedisServer.dockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	static RedisServer createServer() {
		if (!testcontainersPresent()) {
			throw new IllegalStateException("A Redis container was asked for (" + DOCKER_PROPERTY + " or " + DOCKER_ENV
					+ ") but org.testcontainers:testcontainers is not on the classpath");
		}
		if (!available()) {
			throw new IllegalStateException("A Redis container was asked for (" + DOCKER_PROPERTY + " or " + DOCKER_ENV
					+ ") but no Docker engine answers");
		}
		return new ContainerRedisServer(System.getProperty("redis.starter.test.image", "redis:7.2"));
	}

	private static boolean testcontainersPresent() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory", false, DockerSupport.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
