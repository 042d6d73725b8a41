package dev.redisstarter.test;

/**
 * What a {@link FaultProxy} does with the traffic of a connection.
 */
public enum Fault {

	/** Forward every byte both ways, as if the proxy were not there. */
	PASS,

	/**
	 * Refuse new connections: the proxy closes its listening socket, so a connect fails with "connection
	 * refused", as if the server were down. Connections this fault is applied to are closed (the client reads
	 * end of stream). Switching back to another fault for new connections listens on the same port again.
	 */
	REFUSE,

	/**
	 * Reset connections: the client's socket is closed with {@code SO_LINGER} 0, so the client sees a TCP reset
	 * ("connection reset") rather than an orderly close. New connections are accepted and reset at once.
	 */
	RESET,

	/**
	 * Keep connections open but forward nothing in either direction: bytes the client sends are read and
	 * discarded, nothing is written back, so commands time out while the connection looks healthy, as behind
	 * a network partition or a dead host. The discarded bytes are lost: a connection switched back to
	 * {@link #PASS} forwards again, but the client's earlier commands never get a reply, which leaves a client
	 * that matches replies to commands in order (Lettuce, Jedis) out of step. Apply {@link #RESET} before
	 * {@link #PASS} to make such clients reconnect.
	 */
	BLACK_HOLE,

	/**
	 * Forward both ways, but hold every chunk read from the server for {@link FaultProxy#latency()} before
	 * writing it to the client, so each request and reply round trip takes at least that much longer. Requests
	 * are forwarded at once.
	 */
	LATENCY;

	boolean forwards() {
		return this == PASS || this == LATENCY;
	}

}
