package dev.redisstarter.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;

import org.jspecify.annotations.Nullable;

/**
 * One client connection of a {@link FaultProxy}: the client's socket, the socket to the target (opened when
 * the connection first forwards), and a daemon thread for each direction. The fault is read for every chunk,
 * so switching it applies from the next chunk on.
 */
final class ProxiedConnection {

	private static final int BUFFER_SIZE = 16 * 1024;

	private final FaultProxy proxy;

	private final Socket client;

	private final String name;

	private volatile Fault fault;

	private @Nullable Socket server;

	private boolean closed;

	ProxiedConnection(FaultProxy proxy, Socket client, Fault fault, String name) {
		this.proxy = proxy;
		this.client = client;
		this.fault = fault;
		this.name = name;
	}

	/** Starts the client-to-server thread, which first connects to the target when the fault forwards. */
	void start() {
		FaultProxy.daemon(this.name + "-to-server", this::pumpToServer).start();
	}

	/** Applies a fault to this connection: {@link Fault#RESET} resets it, {@link Fault#REFUSE} closes it. */
	void apply(Fault fault) {
		this.fault = fault;
		if (fault == Fault.RESET) {
			reset();
		}
		else if (fault == Fault.REFUSE) {
			close();
		}
	}

	/** Closes the client's socket with {@code SO_LINGER} 0, so that the client gets a TCP reset. */
	synchronized void reset() {
		if (!this.closed) {
			try {
				this.client.setSoLinger(true, 0);
			}
			catch (SocketException ex) {
				// closed meanwhile: nothing left to reset
			}
			close();
		}
	}

	/** Closes both sockets; the threads end as their blocked reads fail. */
	synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		closeQuietly(this.client);
		if (this.server != null) {
			closeQuietly(this.server);
		}
		this.proxy.removed(this);
	}

	private void pumpToServer() {
		try {
			this.client.setTcpNoDelay(true);
			if (this.fault.forwards() && server() == null) {
				reset();
				return;
			}
			InputStream in = this.client.getInputStream();
			byte[] buffer = new byte[BUFFER_SIZE];
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (this.fault.forwards()) {
					Socket target = server();
					if (target == null) {
						reset();
						return;
					}
					this.proxy.countedToServer(read);
					target.getOutputStream().write(buffer, 0, read);
				}
				// otherwise black-holed: the bytes are discarded
			}
		}
		catch (IOException ex) {
			// a socket was closed or reset: the connection ends
		}
		finally {
			close();
		}
	}

	private void pumpToClient(Socket target) {
		try {
			InputStream in = target.getInputStream();
			OutputStream out = this.client.getOutputStream();
			byte[] buffer = new byte[BUFFER_SIZE];
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (this.fault == Fault.LATENCY) {
					Thread.sleep(this.proxy.latency().toMillis());
				}
				if (this.fault.forwards()) {
					this.proxy.countedToClient(read);
					out.write(buffer, 0, read);
				}
			}
		}
		catch (IOException ex) {
			// a socket was closed or reset: the connection ends
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			close();
		}
	}

	/** The socket to the target, connected on first use; {@code null} when closed or the target cannot be reached. */
	private synchronized @Nullable Socket server() {
		if (this.closed) {
			return null;
		}
		if (this.server == null) {
			try {
				Socket target = this.proxy.connectToTarget();
				this.server = target;
				FaultProxy.daemon(this.name + "-to-client", () -> pumpToClient(target)).start();
			}
			catch (IOException ex) {
				return null;
			}
		}
		return this.server;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public String toString() {
		return this.name + "[" + this.fault + "]";
	}

}
