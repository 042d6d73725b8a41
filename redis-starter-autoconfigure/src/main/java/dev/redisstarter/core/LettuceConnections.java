package dev.redisstarter.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.api.AsyncCloseable;
import org.jspecify.annotations.Nullable;

/**
 * Closes the starter's own Lettuce connections without Lettuce's "Connection is already closed" WARN: when the
 * application shuts down, the connection factory stops (shutting its client down closes every connection it
 * opened) before the starter's beans are destroyed, and closing a closed connection again is what Lettuce warns
 * about, on every shutdown.
 */
public final class LettuceConnections {

	private LettuceConnections() {
	}

	/**
	 * Starts closing a connection, unless it is closed already.
	 * @param connection a connection, or {@code null}
	 */
	public static void closeAsync(@Nullable AsyncCloseable connection) {
		if (connection != null && !isClosed(connection)) {
			connection.closeAsync();
		}
	}

	/**
	 * Closes a connection and waits for it (at most {@value #CLOSE_WAIT_MILLIS} ms), unless it is closed already: a
	 * connection closed when the context stops must be gone from its client before the factory shuts the client down,
	 * or the client closes it again (and Lettuce warns).
	 * @param connection a connection, or {@code null}
	 */
	public static void close(@Nullable AsyncCloseable connection) {
		if (connection == null || isClosed(connection)) {
			return;
		}
		try {
			connection.closeAsync().get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Closing goes on in the background; nothing more to do here.
		}
	}

	/** The longest {@link #close} waits for a connection to close. */
	static final long CLOSE_WAIT_MILLIS = 2000;

	private static boolean isClosed(AsyncCloseable connection) {
		return connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed();
	}

}
