package dev.redisstarter.test;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/** A {@link LocalRedisServer} as another ACL user sees it: same server, that user's credentials. */
final class UserView implements RedisServer {

	private final LocalRedisServer server;

	private final String username;

	private final String password;

	UserView(LocalRedisServer server, String username, String password) {
		this.server = server;
		this.username = username;
		this.password = password;
	}

	@Override
	public RedisServer start() {
		this.server.start();
		return this;
	}

	@Override
	public void stop() {
		this.server.stop();
	}

	@Override
	public boolean isRunning() {
		return this.server.isRunning();
	}

	@Override
	public String host() {
		return this.server.host();
	}

	@Override
	public int port() {
		return this.server.port();
	}

	@Override
	public String url() {
		return this.server.url();
	}

	@Override
	public String version() {
		return this.server.version();
	}

	@Override
	public String username() {
		return this.username;
	}

	@Override
	public String password() {
		return this.password;
	}

	@Override
	public @Nullable Path trustedCertificate() {
		return this.server.trustedCertificate();
	}

	@Override
	public void close() {
		this.server.close();
	}

	@Override
	public String toString() {
		return "RedisServer[" + this.server + " as " + this.username + "]";
	}

}
