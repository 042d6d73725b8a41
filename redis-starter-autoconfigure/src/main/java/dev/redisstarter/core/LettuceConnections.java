package dev.redisstarter.core;

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
	 * Closes a connection and waits for it, unless it is closed already.
	 * @param connection a connection, or {@code null}
	 */
	public static void close(@Nullable AsyncCloseable connection) {
		if (connection != null && !isClosed(connection)) {
			connection.closeAsync().join();
		}
	}

	private static boolean isClosed(AsyncCloseable connection) {
		return connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed();
	}

}
