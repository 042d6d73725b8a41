package dev.redisstarter.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks loopback ports that nothing listens on at the moment of asking. */
final class FreePorts {

	/** Redis Cluster listens on the client port plus this offset for its bus. */
	static final int CLUSTER_BUS_OFFSET = 10000;

	private FreePorts() {
	}

	/**
	 * A free port; with {@code withClusterBus}, one whose cluster bus port (port + 10000) is free too.
	 */
	static int pick(boolean withClusterBus) {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = bindAndRelease(0);
			if (!withClusterBus) {
				return port;
			}
			if (port + CLUSTER_BUS_OFFSET <= 65535 && bindAndRelease(port + CLUSTER_BUS_OFFSET) > 0) {
				return port;
			}
		}
		throw new IllegalStateException("No free loopback port found" + (withClusterBus ? " with a free cluster bus port" : ""));
	}

	private static int bindAndRelease(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(false);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
