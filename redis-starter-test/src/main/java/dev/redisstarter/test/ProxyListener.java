package dev.redisstarter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The listening socket of a {@link FaultProxy} on 127.0.0.1, with the daemon thread that accepts connections
 * and hands each to a consumer. {@link Fault#REFUSE} closes it; listening again binds the same port.
 */
final class ProxyListener {

	private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final ServerSocket socket;

	private final Thread acceptor;

	private ProxyListener(ServerSocket socket, Consumer<Socket> onAccept) {
		this.socket = socket;
		this.acceptor = FaultProxy.daemon("fault-proxy-" + socket.getLocalPort() + "-accept", () -> accept(onAccept));
		this.acceptor.start();
	}

	/**
	 * Listens on a port, or on a free one when {@code port} is 0. Binding a port again (after a refusal) retries
	 * for a few seconds while the port is busy, with {@code SO_REUSEADDR} so that closed connections in
	 * {@code TIME_WAIT} do not hold it.
	 */
	static ProxyListener open(int port, Consumer<Socket> onAccept) {
		long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
		while (true) {
			try {
				return new ProxyListener(bind(port), onAccept);
			}
			catch (BindException ex) {
				if (port == 0 || System.nanoTime() > deadline) {
					throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port, ex);
				}
				LocalRedisServer.sleep(Duration.ofMillis(50));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port, ex);
			}
		}
	}

	private static ServerSocket bind(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		try {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	int port() {
		return this.socket.getLocalPort();
	}

	/** Closes the listening socket; {@link #awaitClosed()} waits until the system has released it. */
	void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * Waits for the accept thread to end. A socket closed while a thread blocks in {@code accept()} is released
	 * only when that thread returns; until then the kernel still completes handshakes that should be refused.
	 * Call it without holding a lock the consumer needs.
	 */
	void awaitClosed() {
		if (Thread.currentThread() != this.acceptor) {
			try {
				this.acceptor.join(STOP_TIMEOUT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void accept(Consumer<Socket> onAccept) {
		while (true) {
			Socket client;
			try {
				client = this.socket.accept();
			}
			catch (IOException ex) {
				return; // the listening socket was closed
			}
			onAccept.accept(client);
		}
	}

}
