package dev.redisstarter.session;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;

/**
 * The session keys: {@code <prefix>session:{<tag>}:s:<id>} for a session and {@code <prefix>session:{<tag>}:u:<user>}
 * for a user's index. Passing {@code ""} as the id or user gives the prefix the scripts append to.
 *
 * @param naming the starter's key naming
 */
record SessionKeys(KeyNaming naming) {

	String session(String tag, String id) {
		return this.naming.hashTagged(Feature.SESSION, tag, "s", id);
	}

	String index(String tag, String userId) {
		return this.naming.hashTagged(Feature.SESSION, tag, "u", userId);
	}

}
