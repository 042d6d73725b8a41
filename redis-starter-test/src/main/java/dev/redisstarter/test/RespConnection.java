package dev.redisstarter.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * The smallest RESP2 client that can start, probe and wire servers: the launcher needs PING, INFO,
 * CLUSTER and SENTINEL commands before any real client can connect, and must not depend on one.
 * Replies map to {@link String} (simple and bulk strings), {@link Long}, {@link List} or {@code null};
 * an error reply throws {@link RedisReplyException}.
 */
final class RespConnection implements AutoCloseable {

	private final Socket socket;

	private final BufferedInputStream in;

	private final OutputStream out;

	private RespConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	static RespConnection open(String host, int port, Duration timeout) throws IOException {
		return open(host, port, timeout, null);
	}

	/**
	 * Opens a connection, over TLS when a socket factory is given (the handshake completes before this returns).
	 */
	static RespConnection open(String host, int port, Duration timeout, @Nullable SSLSocketFactory tls)
			throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			if (tls == null) {
				return new RespConnection(socket);
			}
			SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
			secure.startHandshake();
			return new RespConnection(secure);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/** Opens a connection, sends one command, and closes it. */
	static @Nullable Object callOnce(String host, int port, String... command) throws IOException {
		try (RespConnection connection = open(host, port, Duration.ofSeconds(5))) {
			return connection.call(command);
		}
	}

	@Nullable Object call(String... command) throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (String argument : command) {
			byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
			request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
			request.writeBytes(bytes);
			request.writeBytes(new byte[] { '\r', '\n' });
		}
		this.out.write(request.toByteArray());
		this.out.flush();
		return readReply();
	}

	private @Nullable Object readReply() throws IOException {
		int type = this.in.read();
		if (type == -1) {
			throw new EOFException("Connection closed by the server");
		}
		String line = readLine();
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new RedisReplyException(line);
			case ':':
				return Long.parseLong(line);
			case '$': {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] bytes = this.in.readNBytes(length + 2);
				if (bytes.length < length + 2) {
					throw new EOFException("Connection closed inside a bulk reply");
				}
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			}
			case '*': {
				int count = Integer.parseInt(line);
				if (count < 0) {
					return null;
				}
				List<@Nullable Object> items = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					items.add(readReply());
				}
				return items;
			}
			default:
				throw new IOException("Unexpected RESP type '" + (char) type + "'");
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int next = this.in.read();
			if (next == -1) {
				throw new EOFException("Connection closed inside a reply");
			}
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(next);
			previous = next;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** An error reply from the server (for example {@code ERR unknown command}). */
	static final class RedisReplyException extends IOException {

		RedisReplyException(String message) {
			super(message);
		}

	}

}
