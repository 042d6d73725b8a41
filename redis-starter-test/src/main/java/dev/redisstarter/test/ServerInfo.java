package dev.redisstarter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** Reads {@code INFO} replies into fields. */
final class ServerInfo {

	private ServerInfo() {
	}

	static Map<String, String> parse(String info) {
		Map<String, String> fields = new TreeMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
			}
		}
		return fields;
	}

	static String version(String host, int port) {
		try {
			Object reply = RespConnection.callOnce(host, port, "INFO", "server");
			String version = parse(String.valueOf(reply)).get("redis_version");
			return (version != null) ? version : "unknown";
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the version of " + host + ":" + port, ex);
		}
	}

}
