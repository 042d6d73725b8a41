package dev.redisstarter.messaging.queue;

import java.util.ArrayList;
import java.util.List;

import dev.redisstarter.test.LocalRedisServer;

/** What the coalesced-enqueue tests check was stored: every waiting job's payload of a queue, for assertions. */
final class WaitingPayloads {

	private WaitingPayloads() {
	}

	/**
	 * Every waiting job's payload of a queue on a test's own standalone server, read in one script (a listing stops
	 * at 1,000). {@code KEYS} finds the queue's prefixed base: this server holds only the test's data.
	 */
	static List<String> of(LocalRedisServer server, String queue) {
		Object ready = server.command("KEYS", "*{" + queue + "}:ready");
		if (!(ready instanceof List<?> found) || found.isEmpty()) {
			return List.of();
		}
		String readyKey = String.valueOf(found.get(0));
		String base = readyKey.substring(0, readyKey.length() - ":ready".length());
		Object all = server.command("EVAL", "local ids = redis.call('ZRANGE', KEYS[1] .. ':ready', 0, -1) "
				+ "local out = {} for i, id in ipairs(ids) do "
				+ "out[i] = redis.call('HGET', KEYS[1] .. ':job:' .. id, 'payload') end return out", "1", base);
		List<String> payloads = new ArrayList<>();
		for (Object payload : (List<?>) all) {
			payloads.add(String.valueOf(payload));
		}
		return payloads;
	}

}
