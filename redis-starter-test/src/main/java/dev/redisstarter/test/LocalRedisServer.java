package dev.redisstarter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code redis-server} process on 127.0.0.1, with no persistence ({@code --save "" --appendonly no}).
 *
 * <p>The port is chosen free at the first start (unless given) and kept, so that {@link #stop()} and
 * {@link #start()} simulate a server restart that clients can reconnect to. The process is stopped on
 * {@link #stop()}, on {@link #close()}, and by a shutdown hook when the JVM exits first. Its log and working
 * files live in a temporary directory removed by {@link #close()}.
 *
 * <p>For fault tests, besides {@link #stop()} and {@link #start()}: {@link #freeze()} and {@link #thaw()} hang
 * and resume the process, {@link #pauseClients(Duration)} holds every command for a while, and a
 * {@link FaultProxy} in front of the server fails the network between client and server.
 */
public final class LocalRedisServer implements RedisServer {

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisServer.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

	private final Path binary;

	private final Map<String, String> config;

	private final @Nullable String sentinelConfig;

	private final boolean clusterEnabled;

	private final Path workDirectory;

	private final @Nullable String password;

	private final List<String> users;

	private final @Nullable TlsCertificates tls;

	private int port;

	private @Nullable RedisProcess process;

	private @Nullable String version;

	private LocalRedisServer(Builder builder) {
		this.binary = (builder.binary != null) ? builder.binary : RedisBinary.resolve();
		this.config = Map.copyOf(builder.config);
		this.sentinelConfig = builder.sentinelConfig;
		this.clusterEnabled = "yes".equals(builder.config.get("cluster-enabled"));
		this.port = builder.port;
		this.password = builder.password;
		this.users = List.copyOf(builder.users);
		this.tls = builder.tls;
		try {
			this.workDirectory = Files.createTempDirectory("redis-starter-test-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A builder for a server on a free port with the default binary (see {@link RedisBinary#resolve()}).
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public synchronized LocalRedisServer start() {
		if (isRunning()) {
			return this;
		}
		boolean portChosenHere = this.port == 0;
		for (int attempt = 1;; attempt++) {
			if (portChosenHere) {
				this.port = FreePorts.pick(this.clusterEnabled);
			}
			try {
				launch();
				return this;
			}
			catch (IllegalStateException ex) {
				// Another process may have taken the port between the check and the bind: try a new one.
				if (!portChosenHere || attempt == 3 || !logContains("Address already in use")) {
					throw ex;
				}
			}
		}
	}

	private void launch() {
		List<String> command = new ArrayList<>();
		command.add(this.binary.toString());
		if (this.sentinelConfig != null) {
			Path file = this.workDirectory.resolve("sentinel.conf");
			write(file, this.sentinelConfig);
			command.add(file.toString());
			command.add("--sentinel");
		}
		if (this.tls != null) {
			// TLS only: the plain port is closed, so that nothing reaches this server without TLS.
			command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(this.port), "--tls-cert-file",
					this.tls.certificate().toString(), "--tls-key-file", this.tls.privateKey().toString(),
					"--tls-ca-cert-file", this.tls.certificate().toString(), "--tls-auth-clients", "no"));
		}
		else {
			command.addAll(List.of("--port", Integer.toString(this.port)));
		}
		command.addAll(List.of("--bind", "127.0.0.1", "--dir", this.workDirectory.toString(), "--daemonize", "no"));
		if (this.password != null) {
			command.addAll(List.of("--requirepass", this.password));
		}
		for (String user : this.users) {
			command.add("--user");
			command.addAll(List.of(user.split(" ")));
		}
		if (this.sentinelConfig == null) {
			command.addAll(List.of("--save", "", "--appendonly", "no"));
		}
		this.config.forEach((key, value) -> {
			command.add("--" + key);
			command.addAll(List.of(value.split(" ")));
		});
		RedisProcess started = RedisProcess.start(command, logFile(), "redis-server-" + this.port);
		this.process = started;
		awaitReady(started);
		logger.debug("Started {} (pid {}) on 127.0.0.1:{}", this.binary, started.pid(), this.port);
	}

	private void awaitReady(RedisProcess started) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!started.isAlive()) {
				stopProcess();
				throw new IllegalStateException("redis-server exited with " + started.exitValue() + " while starting on port "
						+ this.port + ":\n" + logTail());
			}
			try {
				// The server that answers must be the one started here, not another that holds the port.
				if ("PONG".equals(call("PING")) && answersAs(started)) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			sleep(Duration.ofMillis(20));
		}
		stopProcess();
		throw new IllegalStateException("redis-server did not answer PING within " + STARTUP_TIMEOUT + " on port "
				+ this.port + ":\n" + logTail());
	}

	private boolean answersAs(RedisProcess started) throws IOException {
		Object info = call("INFO", "server");
		String text = (info instanceof byte[] bytes) ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
				: String.valueOf(info);
		for (String line : text.split("\r?\n")) {
			if (line.startsWith("process_id:")) {
				return Long.parseLong(line.substring("process_id:".length()).strip()) == started.pid();
			}
		}
		return false;
	}

	/** Stops the server and waits until its process is gone; a frozen server is thawed first so that it can exit. */
	@Override
	public synchronized void stop() {
		stopProcess();
	}

	/**
	 * Freezes the process with {@code SIGSTOP}, as a server that hangs (a paused VM, a host stalled on swap or a
	 * stuck disk) would look: its port stays open and the kernel still completes new TCP handshakes, but no
	 * command is read or answered, so clients time out instead of seeing the connection close. Only the process
	 * this server started is signalled, by its pid. A frozen server can be thawed, stopped or closed.
	 * @return this server
	 * @throws IllegalStateException when the server is not running, or the signal cannot be sent (on a system
	 * without {@code kill})
	 */
	public synchronized LocalRedisServer freeze() {
		running("freeze").freeze();
		return this;
	}

	/**
	 * Resumes a frozen server with {@code SIGCONT}; commands that waited are then answered. A server that is not
	 * frozen is left as it is.
	 * @return this server
	 * @throws IllegalStateException when the server is frozen and the signal cannot be sent
	 */
	public synchronized LocalRedisServer thaw() {
		RedisProcess running = this.process;
		if (running != null) {
			running.thaw();
		}
		return this;
	}

	/**
	 * Whether the server is frozen by {@link #freeze()}; a frozen server still counts as {@linkplain #isRunning()
	 * running}.
	 * @return whether the process is alive and stopped by {@code SIGSTOP}
	 */
	public synchronized boolean isFrozen() {
		RedisProcess running = this.process;
		return running != null && running.isFrozen();
	}

	/**
	 * Makes the server hold every client command for a while, with {@code CLIENT PAUSE <ms> ALL} (Redis 6.2 and
	 * later): unlike {@link #freeze()} the server stays healthy and answers the held commands when the pause
	 * ends, so this shows how an application copes with a slow server rather than a dead one.
	 * @param duration how long commands are held; at least one millisecond
	 * @return this server
	 * @throws IllegalArgumentException when the duration is shorter than a millisecond
	 * @throws java.io.UncheckedIOException when the command fails: the server is frozen or stopped, or older than
	 * 6.2 (which rejects {@code ALL})
	 */
	public LocalRedisServer pauseClients(Duration duration) {
		if (duration.toMillis() < 1) {
			throw new IllegalArgumentException("duration must be at least 1ms, was " + duration);
		}
		command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
		return this;
	}

	private RedisProcess running(String action) {
		RedisProcess running = this.process;
		if (running == null || !running.isAlive()) {
			throw new IllegalStateException("Cannot " + action + " " + this + ": it is not running");
		}
		return running;
	}

	private void stopProcess() {
		RedisProcess running = this.process;
		if (running != null) {
			this.process = null;
			running.stop();
		}
	}

	/**
	 * Deletes the data files of a stopped server (its RDB snapshot and append-only files), so that the next
	 * {@link #start()} begins with an empty data set even when the server was built with
	 * {@code config("appendonly", "yes")}: a server restarted after losing its disk.
	 * @return this server
	 * @throws IllegalStateException when the server is running
	 */
	public synchronized LocalRedisServer deleteDataFiles() {
		if (isRunning()) {
			throw new IllegalStateException("Cannot delete the data files of " + this + " while it runs: stop it first");
		}
		try (Stream<Path> files = Files.list(this.workDirectory)) {
			files.filter((file) -> isDataFile(file.getFileName().toString())).forEach(LocalRedisServer::deleteTree);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + this.workDirectory, ex);
		}
		return this;
	}

	private static boolean isDataFile(String name) {
		return name.endsWith(".rdb") || name.startsWith("appendonly");
	}

	private static void deleteTree(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete " + root, ex);
		}
	}

	@Override
	public synchronized void close() {
		stopProcess();
		try (Stream<Path> files = Files.walk(this.workDirectory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			logger.debug("Could not remove {}", this.workDirectory, ex);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		RedisProcess running = this.process;
		return running != null && running.isAlive();
	}

	/**
	 * The operating-system process id, while the server runs.
	 * @return the pid, or empty when stopped
	 */
	public synchronized OptionalLong pid() {
		RedisProcess running = this.process;
		return (running != null) ? OptionalLong.of(running.pid()) : OptionalLong.empty();
	}

	@Override
	public String host() {
		return "127.0.0.1";
	}

	@Override
	public synchronized int port() {
		if (this.port == 0) {
			throw new IllegalStateException("The server has not been started yet, so it has no port");
		}
		return this.port;
	}

	@Override
	public String url() {
		return ((this.tls != null) ? "rediss://" : "redis://") + host() + ":" + port();
	}

	/**
	 * The address in {@code host:port} form, as cluster and sentinel properties take it.
	 * @return the address
	 */
	public String address() {
		return host() + ":" + port();
	}

	/**
	 * The binary this server runs.
	 * @return the path of the executable
	 */
	public Path binary() {
		return this.binary;
	}

	@Override
	public synchronized String version() {
		if (this.version == null) {
			try {
				String version = ServerInfo.parse(String.valueOf(call("INFO", "server"))).get("redis_version");
				this.version = (version != null) ? version : "unknown";
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read the version of " + address(), ex);
			}
		}
		return this.version;
	}

	/**
	 * Sends one command and returns the reply, for tests and the launcher's own wiring.
	 * @param command the command and its arguments
	 * @return the reply: a {@link String}, {@link Long}, {@link List} or {@code null}
	 */
	public @Nullable Object command(String... command) {
		try {
			port();
			return call(command);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Command " + command[0] + " to " + address() + " failed: " + ex.getMessage(), ex);
		}
	}

	/** One command on a connection of its own, over TLS and authenticated as the default user when so configured. */
	private @Nullable Object call(String... command) throws IOException {
		try (RespConnection connection = RespConnection.open(host(), this.port, Duration.ofSeconds(5),
				(this.tls != null) ? this.tls.socketFactory() : null)) {
			if (this.password != null) {
				connection.call("AUTH", this.password);
			}
			return connection.call(command);
		}
	}

	/**
	 * The certificates this server presents, when it listens with TLS only.
	 * @return the certificates, or {@code null} without TLS
	 */
	public @Nullable TlsCertificates tls() {
		return this.tls;
	}

	@Override
	public @Nullable String password() {
		return this.password;
	}

	@Override
	public @Nullable Path trustedCertificate() {
		return (this.tls != null) ? this.tls.certificate() : null;
	}

	/**
	 * This server as seen by another ACL user: the same address, with that user's credentials in
	 * {@link #springDataRedisProperties()} and for the factories of {@code ConnectionFactories}. Starting, stopping
	 * and closing act on this server.
	 * @param username the user
	 * @param userPassword its password
	 * @return a view of this server
	 */
	public RedisServer as(String username, String userPassword) {
		return new UserView(this, username, userPassword);
	}

	private Path logFile() {
		return this.workDirectory.resolve("redis.log");
	}

	private boolean logContains(String text) {
		return logTail().contains(text);
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void write(Path file, String content) {
		try {
			Files.writeString(file, content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	@Override
	public String toString() {
		return "LocalRedisServer[" + this.binary + " on 127.0.0.1:" + this.port + "]";
	}

	/** Builds a {@link LocalRedisServer}. */
	public static final class Builder {

		private @Nullable Path binary;

		private int port;

		private final Map<String, String> config = new LinkedHashMap<>();

		private @Nullable String sentinelConfig;

		private @Nullable String password;

		private final List<String> users = new ArrayList<>();

		private @Nullable TlsCertificates tls;

		private Builder() {
		}

		/**
		 * The executable to run instead of the one {@link RedisBinary#resolve()} finds.
		 * @param binary the path of a {@code redis-server}
		 * @return this builder
		 */
		public Builder binary(Path binary) {
			this.binary = binary;
			return this;
		}

		/**
		 * A fixed port instead of a free one chosen at start.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * One configuration directive passed on the command line, such as {@code config("maxmemory", "64mb")}.
		 * @param name the directive
		 * @param value its value; several words are passed as several arguments
		 * @return this builder
		 */
		public Builder config(String name, String value) {
			this.config.put(name, value);
			return this;
		}

		/**
		 * A password for the default user ({@code --requirepass}); the launcher authenticates with it.
		 * @param password the password
		 * @return this builder
		 */
		public Builder password(String password) {
			this.password = password;
			return this;
		}

		/**
		 * An ACL user ({@code --user}), such as {@code "app on >secret ~app:* &app:* +@all"}. Users can also be
		 * changed after start with {@code command("ACL", "SETUSER", ...)}.
		 * @param rule the user's name and rules, separated by spaces
		 * @return this builder
		 */
		public Builder user(String rule) {
			this.users.add(rule);
			return this;
		}

		/**
		 * Listens with TLS only ({@code --port 0 --tls-port}), presenting these certificates; clients are not
		 * asked for certificates of their own. The URL becomes {@code rediss://}.
		 * @param certificates what the server presents
		 * @return this builder
		 */
		public Builder tls(TlsCertificates certificates) {
			this.tls = certificates;
			return this;
		}

		Builder sentinelConfig(String content) {
			this.sentinelConfig = content;
			return this;
		}

		/**
		 * Builds the server, not started yet.
		 * @return the server
		 */
		public LocalRedisServer build() {
			return new LocalRedisServer(this);
		}

	}

}
