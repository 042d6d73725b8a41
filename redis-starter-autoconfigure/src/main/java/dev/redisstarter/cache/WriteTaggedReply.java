package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code write-tagged.lua} returns, {@code {stale, version 1, ..., version n}}, by name (its header is the
 * contract).
 * @param stale whether a tag was invalidated after the load started, or the load is older than the load timeout
 * (then nothing was written)
 * @param versions the tags' versions, in the order of the tags passed
 */
record WriteTaggedReply(boolean stale, List<String> versions) {

	static WriteTaggedReply of(List<?> reply) {
		List<String> versions = new ArrayList<>(reply.size() - 1);
		for (int i = 1; i < reply.size(); i++) {
			versions.add(new String((byte[]) reply.get(i), StandardCharsets.UTF_8));
		}
		return new WriteTaggedReply(((Long) reply.get(0)) == 1L, versions);
	}

}
