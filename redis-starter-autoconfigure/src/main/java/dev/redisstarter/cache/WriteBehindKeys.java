package dev.redisstarter.cache;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.messaging.stream.StreamKeys;

/**
 * The keys of write-behind caches. A cache's writes are spread by key over its partitions; each partition is a stream
 * named {@code <cache>.write-behind.<n>}, and that name is the hash tag of every key of the partition, so that one
 * script writes an entry and appends its write on a Cluster too:
 * <ul>
 * <li>{@code <prefix>cache:{<cache>.write-behind.<n>}:<key>}: string, the entry (in place of {@code <prefix>cache:<key>}),
 * with its TTL;</li>
 * <li>{@code <prefix>stream:{<cache>.write-behind.<n>}}: stream, the writes not persisted yet (fields {@code key},
 * {@code op} ({@code set} or {@code del}), {@code payload} (the value's JSON)), read by the group
 * {@value #GROUP}; persisted and superseded entries are deleted;</li>
 * <li>{@code <prefix>stream:{<cache>.write-behind.<n>}:dead}: stream, the dead letters, as every stream's;</li>
 * <li>{@code <prefix>stream:{<cache>.write-behind.<n>}:latest}: hash, cache key to the id of its latest write not
 * persisted yet (a field goes when that write is persisted);</li>
 * <li>{@code <prefix>stream:{<cache>.write-behind.<n>}:lease}: string, the instance persisting the partition, with the
 * lease's TTL.</li>
 * </ul>
 * The streams and the hash have no TTL: they hold writes not persisted yet, bounded by {@code max-backlog}.
 *
 * @param naming the application's key naming
 * @param settings which caches are write-behind
 */
record WriteBehindKeys(KeyNaming naming, WriteBehindSettings settings) {

	/** The consumer group of every write-behind stream. */
	static final String GROUP = "write-behind";

	/** The partition of a key: {@link String#hashCode()} is specified, so every instance and version agrees. */
	int partition(String key, WriteBehindPolicy policy) {
		return Math.floorMod(key.hashCode(), policy.partitions());
	}

	/** The name of a partition's stream, which is also its hash tag. */
	static String streamName(String cache, int partition) {
		return cache + ".write-behind." + partition;
	}

	/** The key of an entry of a write-behind cache. */
	String entry(String cache, WriteBehindPolicy policy, String key) {
		return this.naming.hashTagged(Feature.CACHE, streamName(cache, partition(key, policy)), key);
	}

	String stream(String cache, int partition) {
		return new StreamKeys(this.naming).stream(streamName(cache, partition));
	}

	String deadLetters(String cache, int partition) {
		return new StreamKeys(this.naming).deadLetters(streamName(cache, partition));
	}

	String latest(String cache, int partition) {
		return this.naming.hashTagged(Feature.STREAM, streamName(cache, partition), "latest");
	}

	String lease(String cache, int partition) {
		return this.naming.hashTagged(Feature.STREAM, streamName(cache, partition), "lease");
	}

}
