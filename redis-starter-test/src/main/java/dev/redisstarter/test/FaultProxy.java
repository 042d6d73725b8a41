package dev.redisstarter.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on 127.0.0.1 and a free port, in front of a Redis server, that a test switches between
 * {@linkplain Fault faults} at run time to see how an application copes with a failing network: refused
 * connections, resets, a black hole, added latency. It knows nothing of the Redis protocol; it forwards bytes.
 *
 * <pre>{@code
 * try (LocalRedisServer server = LocalRedisServer.builder().build().start();
 *         FaultProxy proxy = FaultProxy.inFrontOf(server)) {
 *     // point the application at proxy.url() instead of server.url()
 *     proxy.set(Fault.BLACK_HOLE);                  // every connection, existing and new, stops answering
 *     proxy.setForNewConnections(Fault.REFUSE);     // only new connections are refused
 *     proxy.pass();                                 // back to normal
 * }
 * }</pre>
 *
 * <p>{@link #set(Fault)} applies a fault to every open connection and to new ones;
 * {@link #setForNewConnections(Fault)} leaves open connections as they are. A connection reads its fault for every
 * chunk of bytes, so a switch takes effect from the next chunk. Counters ({@link #acceptedConnections()},
 * {@link #bytesToServer()}, {@link #openConnections()}) let a test assert that nothing reached the network, for
 * example while a circuit breaker is open; bytes are counted before they are written, so a client that has its
 * reply finds it counted. When the server closes a connection (it stopped, say) the proxy closes the client's
 * too; when the server cannot be reached, connections that should forward are reset.
 *
 * <p>It suits a standalone server, and the master of a Sentinel group for a client configured with the master's
 * address as a standalone server. It does not redirect clients that discover addresses from the server:
 * <ul>
 * <li>Sentinel: a client asks the sentinels for the master's address and connects to that address, not to the
 * proxy; to fail the master for such a client, {@link LocalRedisServer#freeze() freeze} or stop it
 * ({@link RedisSentinelGroup#stopMaster()}).</li>
 * <li>Cluster: the proxy does not rewrite {@code CLUSTER SLOTS}, {@code CLUSTER NODES}, {@code MOVED} or
 * {@code ASK} replies, so a cluster client learns the nodes' real addresses and goes around the proxy. Freeze,
 * stop or {@linkplain LocalRedisServer#pauseClients(Duration) pause} nodes of {@link RedisCluster#nodes()}
 * instead; a proxy in front of one node serves at most as a seed the client first connects to.</li>
 * </ul>
 *
 * <p>Blocking sockets, two daemon threads per connection and one accepting, all named
 * {@code fault-proxy-<port>-...}. {@link #close()} closes every socket.
 */
public final class FaultProxy implements AutoCloseable {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private final String targetHost;

	private final int targetPort;

	private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong connectionNumbers = new AtomicLong();

	private final AtomicLong toServer = new AtomicLong();

	private final AtomicLong toClient = new AtomicLong();

	private volatile Duration latency = Duration.ofMillis(100);

	private Fault newConnectionFault = Fault.PASS;

	private @Nullable ProxyListener listener;

	private int port;

	private boolean closed;

	private FaultProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
	}

	/**
	 * Starts a proxy that forwards to a host and port.
	 * @param targetHost the host of the server behind the proxy
	 * @param targetPort the port of the server behind the proxy
	 * @return the proxy, listening and passing traffic
	 * @throws java.io.UncheckedIOException when no loopback port can be bound
	 */
	public static FaultProxy start(String targetHost, int targetPort) {
		if (targetHost.isBlank()) {
			throw new IllegalArgumentException("targetHost must not be blank");
		}
		if (targetPort < 1 || targetPort > 65535) {
			throw new IllegalArgumentException("targetPort must be between 1 and 65535, was " + targetPort);
		}
		FaultProxy proxy = new FaultProxy(targetHost, targetPort);
		synchronized (proxy) {
			proxy.listen();
		}
		return proxy;
	}

	/**
	 * Starts a proxy in front of a started server.
	 * @param server the server behind the proxy
	 * @return the proxy, listening and passing traffic
	 * @throws IllegalStateException when the server was never started, so it has no port
	 */
	public static FaultProxy inFrontOf(RedisServer server) {
		return start(server.host(), server.port());
	}

	/**
	 * Applies a fault to every open connection and to every new one.
	 * @param fault the fault
	 * @return this proxy
	 */
	public FaultProxy set(Fault fault) {
		setForNewConnections(fault);
		synchronized (this) {
			for (ProxiedConnection connection : List.copyOf(this.connections)) {
				connection.apply(fault);
			}
		}
		return this;
	}

	/**
	 * Applies a fault to connections accepted from now on; open connections keep theirs.
	 * @param fault the fault
	 * @return this proxy
	 */
	public FaultProxy setForNewConnections(Fault fault) {
		ProxyListener stopped;
		synchronized (this) {
			stopped = switchNewConnections(fault);
		}
		awaitClosed(stopped);
		return this;
	}

	/** Sets the fault of new connections; returns the listener a refusal closed, if any. */
	private @Nullable ProxyListener switchNewConnections(Fault fault) {
		if (this.closed) {
			throw new IllegalStateException(this + " is closed");
		}
		this.newConnectionFault = fault;
		if (fault == Fault.REFUSE) {
			return stopListening();
		}
		if (this.listener == null) {
			listen();
		}
		return null;
	}

	private void listen() {
		ProxyListener opened = ProxyListener.open(this.port, this::accepted);
		this.listener = opened;
		this.port = opened.port();
	}

	private @Nullable ProxyListener stopListening() {
		ProxyListener stopped = this.listener;
		this.listener = null;
		if (stopped != null) {
			stopped.close();
		}
		return stopped;
	}

	private static void awaitClosed(@Nullable ProxyListener stopped) {
		if (stopped != null) {
			stopped.awaitClosed();
		}
	}

	/**
	 * Passes all traffic again, on open connections and new ones: the same as {@code set(Fault.PASS)}.
	 * @return this proxy
	 */
	public FaultProxy pass() {
		return set(Fault.PASS);
	}

	/**
	 * The fault new connections get.
	 * @return the fault last set
	 */
	public synchronized Fault fault() {
		return this.newConnectionFault;
	}

	/**
	 * Sets the delay {@link Fault#LATENCY} adds to every chunk the server sends, from the next chunk on.
	 * @param latency the delay; 100 milliseconds unless set
	 * @return this proxy
	 */
	public FaultProxy setLatency(Duration latency) {
		if (latency.isNegative()) {
			throw new IllegalArgumentException("latency must not be negative, was " + latency);
		}
		this.latency = latency;
		return this;
	}

	/**
	 * The delay {@link Fault#LATENCY} adds to every chunk the server sends.
	 * @return the delay
	 */
	public Duration latency() {
		return this.latency;
	}

	/**
	 * How many connections the proxy accepted since it started, whatever their fault; connections refused by
	 * {@link Fault#REFUSE} are never accepted, so they do not count.
	 * @return the number of accepted connections
	 */
	public long acceptedConnections() {
		return this.accepted.get();
	}

	/**
	 * How many accepted connections are open now.
	 * @return the number of open connections
	 */
	public int openConnections() {
		return this.connections.size();
	}

	/**
	 * How many bytes the proxy forwarded from clients to the server; bytes discarded by a fault do not count.
	 * @return the number of bytes written to the server
	 */
	public long bytesToServer() {
		return this.toServer.get();
	}

	/**
	 * How many bytes the proxy forwarded from the server to clients.
	 * @return the number of bytes written to clients
	 */
	public long bytesToClient() {
		return this.toClient.get();
	}

	/**
	 * The host clients connect to.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * The port clients connect to; it stays the same while {@link Fault#REFUSE} closes the listening socket.
	 * @return the port
	 */
	public synchronized int port() {
		return this.port;
	}

	/**
	 * The connection URL, for {@code spring.data.redis.url}.
	 * @return the URL, such as {@code redis://127.0.0.1:6379}
	 */
	public String url() {
		return "redis://" + host() + ":" + port();
	}

	/** Stops listening and closes every connection. */
	@Override
	public void close() {
		ProxyListener stopped;
		synchronized (this) {
			this.closed = true;
			stopped = stopListening();
			for (ProxiedConnection connection : List.copyOf(this.connections)) {
				connection.close();
			}
		}
		awaitClosed(stopped);
	}

	@Override
	public String toString() {
		return "FaultProxy[127.0.0.1:" + port() + " -> " + this.targetHost + ":" + this.targetPort + ", " + fault() + "]";
	}

	Socket connectToTarget() throws IOException {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(this.targetHost, this.targetPort), (int) CONNECT_TIMEOUT.toMillis());
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	void countedToServer(int bytes) {
		this.toServer.addAndGet(bytes);
	}

	void countedToClient(int bytes) {
		this.toClient.addAndGet(bytes);
	}

	void removed(ProxiedConnection connection) {
		this.connections.remove(connection);
	}

	private void accepted(Socket client) {
		this.accepted.incrementAndGet();
		ProxiedConnection connection = register(client);
		if (connection != null) {
			connection.start();
		}
	}

	private synchronized @Nullable ProxiedConnection register(Socket client) {
		ProxiedConnection connection = new ProxiedConnection(this, client, this.newConnectionFault,
				"fault-proxy-" + this.port + "-" + this.connectionNumbers.incrementAndGet());
		if (this.closed) {
			connection.close();
			return null;
		}
		this.connections.add(connection);
		if (this.newConnectionFault == Fault.RESET || this.newConnectionFault == Fault.REFUSE) {
			connection.apply(this.newConnectionFault);
			return null;
		}
		return connection;
	}

	static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
