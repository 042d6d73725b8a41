package dev.redisstarter.test;

import java.net.URI;

/**
 * A server this JVM did not start, named by a URL (from {@code REDIS_URL}). It cannot be stopped or
 * restarted from here, so fault tests use a {@link LocalRedisServer} of their own.
 */
final class ExternalRedisServer implements RedisServer {

	private final URI url;

	ExternalRedisServer(URI url) {
		if (url.getHost() == null || !(url.getScheme().equals("redis") || url.getScheme().equals("rediss"))) {
			throw new IllegalArgumentException("REDIS_URL must look like redis://host:port, was " + url);
		}
		this.url = url;
	}

	@Override
	public RedisServer start() {
		return this;
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException(
				"The server at " + host() + ":" + port() + " was not started by this JVM and is not stopped by it");
	}

	@Override
	public boolean isRunning() {
		return true;
	}

	@Override
	public String host() {
		return this.url.getHost();
	}

	@Override
	public int port() {
		return (this.url.getPort() > 0) ? this.url.getPort() : 6379;
	}

	@Override
	public String url() {
		return this.url.toString();
	}

	@Override
	public String version() {
		// The launcher's own client speaks neither TLS nor AUTH; such servers report no version here.
		if (this.url.getUserInfo() != null || "rediss".equals(this.url.getScheme())) {
			return "unknown";
		}
		return ServerInfo.version(host(), port());
	}

	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "ExternalRedisServer[" + host() + ":" + port() + "]";
	}

}
