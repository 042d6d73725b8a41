package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.PermissionRefusals;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Entries and their tags in Redis, in bytes. A read is one {@code GET}; a tagged entry is current when each
 * tag's version is the one it was written with, checked against the versions known locally
 * ({@link TagVersions}) and, for those not known, against Redis in one more round trip. A tagged write reads
 * (or creates) its tags' versions and writes the entry: on one server in one script; on a Cluster, where they sit
 * in different slots, in one pipelined round trip when the versions are known locally and two otherwise.
 */
final class EntryStore {

	private static final LuaScript<Object> TAG_VERSION = LuaScript.load("dev/redisstarter/cache/tag-version.lua",
			Object.class);

	private static final LuaScript<Object> WRITE_TAGGED = LuaScript.load("dev/redisstarter/cache/write-tagged.lua",
			Object.class);

	private static final LuaScript<Object> INVALIDATE_TAG = LuaScript.load("dev/redisstarter/cache/invalidate-tag.lua",
			Object.class);

	/**
	 * Clock difference allowed between Cluster nodes when telling whether an invalidation followed a load's
	 * start (the load's time comes from its lock's node, the invalidation's from its tag's). One server has
	 * one clock and needs none.
	 */
	static final long CLUSTER_CLOCK_MARGIN_MICROS = 50_000;

	/** What invalidation notices are called in logs and health. */
	private static final String INVALIDATION_NOTICES = "cache invalidation notices";

	private final CacheCommands commands;

	private final TagVersions versions;

	private final KeyNaming keys;

	private final byte[] channel;

	private final byte[] loadTimeoutMillis;

	private final long clockMarginMicros;

	/** Invalidations that have not reached Redis yet: entries carrying their tags are treated as absent. */
	private final DeferredInvalidations deferred;

	/** How old a load may be when its value is written: older, an invalidation's record may have expired. */
	private final byte[] loadTimeoutMicros;

	/** The body of a cached "absent" after its header lines. */
	private static final byte[] ABSENT_BODY = { 'N' };

	/** Whether entries and tags may sit on different nodes (a Cluster), so one script cannot write them all. */
	private final boolean clustered;

	/** Local tiers to drop written keys from, here and in every instance. */
	private final NearCache near;

	/** Where the entries of write-behind caches live (in their partition's hash tag). */
	private final WriteBehindLog writeBehind;

	EntryStore(CacheCommands commands, TagVersions versions, DeferredInvalidations deferred, NearCache near,
			KeyNaming keys, String channel, long loadTimeoutMillis, WriteBehindLog writeBehind) {
		this.writeBehind = writeBehind;
		this.deferred = deferred;
		this.near = near;
		this.clustered = commands.connectionFactory().isClusterAware();
		this.clockMarginMicros = this.clustered ? CLUSTER_CLOCK_MARGIN_MICROS : 0;
		this.commands = commands;
		this.versions = versions;
		this.keys = keys;
		this.channel = utf8(channel);
		this.loadTimeoutMillis = utf8(Long.toString(loadTimeoutMillis));
		this.loadTimeoutMicros = utf8(Long.toString(loadTimeoutMillis * 1000));
	}

	/**
	 * A key of the cache's own records: {@code <prefix>cache::<kind>:<name>}. Entries are
	 * {@code <prefix>cache:<key>} and cache keys may not start with {@code :}, so the two spaces never meet (a
	 * cache named {@code lock} or {@code tag} is just a cache).
	 */
	static String internalKey(KeyNaming keys, String kind, String name) {
		return keys.key(Feature.CACHE, "", kind, name);
	}

	byte[] entryKey(String key) {
		String writeBehindKey = this.writeBehind.entryKey(key);
		return utf8((writeBehindKey != null) ? writeBehindKey : this.keys.key(Feature.CACHE, key));
	}

	private byte[] tagKey(String tag) {
		return utf8(internalKey(this.keys, "tag", tag));
	}

	/** The entry under a key if it is current, else {@code null}; with its remaining life when asked. */
	@Nullable Stored read(String key, boolean withTtl) {
		byte[] entryKey = entryKey(key);
		byte[] raw;
		long ttlMillis = -1;
		if (withTtl) {
			CacheCommands.EntryWithTtl found = this.commands.getWithTtl(entryKey);
			raw = found.value();
			ttlMillis = (found.ttlMillis() != null) ? found.ttlMillis() : -1;
		}
		else {
			raw = this.commands.get(entryKey);
		}
		if (raw == null) {
			return null;
		}
		CacheEntry entry = CacheEntry.decode(raw);
		if (!entry.tags().isEmpty() && (this.deferred.anyPending(entry.tags())
				|| (!knownCurrent(entry.tags()) && !current(List.of(entry)).contains(0)))) {
			return null;
		}
		return new Stored(entry, ttlMillis);
	}

	/**
	 * Whether an entry's tags are current by what this instance knows, without a round trip: no invalidation of
	 * them waits here, and each version is known and matches (a near cache's local hit needs this).
	 */
	boolean currentHere(Map<String, String> tags) {
		return !this.deferred.anyPending(tags) && knownCurrent(tags);
	}

	/** The common case, without allocating: every tag's version is known here and matches. */
	private boolean knownCurrent(Map<String, String> tags) {
		for (Map.Entry<String, String> tag : tags.entrySet()) {
			if (!tag.getValue().equals(this.versions.known(tag.getKey()))) {
				return false;
			}
		}
		return true;
	}

	/** Current entries by key (missing and outdated ones left out): two round trips at most. */
	Map<String, CacheEntry> readAll(List<String> keys) {
		List<byte[]> entryKeys = keys.stream().map(this::entryKey).toList();
		List<byte @Nullable []> raw = this.commands.mget(entryKeys);
		List<CacheEntry> entries = new ArrayList<>(raw.size());
		List<String> found = new ArrayList<>(raw.size());
		for (int i = 0; i < raw.size(); i++) {
			byte[] value = raw.get(i);
			if (value != null) {
				CacheEntry entry = CacheEntry.decode(value);
				if (!this.deferred.anyPending(entry.tags())) {
					entries.add(entry);
					found.add(keys.get(i));
				}
			}
		}
		Set<Integer> current = current(entries);
		Map<String, CacheEntry> result = new LinkedHashMap<>();
		for (int i = 0; i < entries.size(); i++) {
			if (current.contains(i)) {
				result.put(found.get(i), entries.get(i));
			}
		}
		return result;
	}

	/** Which entries (by index) carry current versions of all their tags: reads unknown versions in one MGET. */
	private Set<Integer> current(List<CacheEntry> entries) {
		Set<String> unknown = new LinkedHashSet<>();
		for (CacheEntry entry : entries) {
			entry.tags().forEach((tag, version) -> {
				if (!version.equals(this.versions.known(tag))) {
					unknown.add(tag);
				}
			});
		}
		Map<String, String> fromRedis = Map.of();
		if (!unknown.isEmpty()) {
			long epoch = this.versions.epoch();
			List<String> tags = List.copyOf(unknown);
			List<byte @Nullable []> read = this.commands.mget(tags.stream().map(this::tagKey).toList());
			fromRedis = new LinkedHashMap<>();
			for (int i = 0; i < tags.size(); i++) {
				byte[] version = read.get(i);
				if (version != null) {
					String text = new String(version, StandardCharsets.UTF_8);
					fromRedis.put(tags.get(i), text);
					this.versions.learn(tags.get(i), text, epoch);
				}
			}
		}
		Set<Integer> current = new LinkedHashSet<>();
		for (int i = 0; i < entries.size(); i++) {
			if (matches(entries.get(i).tags(), fromRedis)) {
				current.add(i);
			}
		}
		return current;
	}

	private boolean matches(Map<String, String> written, Map<String, String> fromRedis) {
		for (Map.Entry<String, String> tag : written.entrySet()) {
			String now = fromRedis.get(tag.getKey());
			if (now == null) {
				now = this.versions.known(tag.getKey());
			}
			if (!tag.getValue().equals(now)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Writes an entry with its tags' current versions.
	 * @param key the cache key
	 * @param entryJson the value's JSON, or {@code null} for "absent"
	 * @param type the value's type to record, or {@code null}
	 * @param ttlMillis the entry's life
	 * @param tags the entry's tags
	 * @param loadStartMicros server time when the value's load started, or 0 when it did not come from a load
	 * @param loadMillis how long the load took (kept for early refresh), or 0
	 * @return false when nothing was cached because a tag was invalidated after the load started
	 */
	boolean write(String key, byte @Nullable [] entryJson, @Nullable String type, long ttlMillis, Collection<String> tags,
			long loadStartMicros, long loadMillis) {
		List<String> written = List.of(key);
		this.near.writing(written);
		boolean applied = false;
		try {
			boolean result = writeToRedis(key, entryJson, type, ttlMillis, tags, loadStartMicros, loadMillis);
			applied = true;
			return result;
		}
		finally {
			this.near.written(written, applied);
		}
	}

	private boolean writeToRedis(String key, byte @Nullable [] entryJson, @Nullable String type, long ttlMillis,
			Collection<String> tags, long loadStartMicros, long loadMillis) {
		byte[] entryKey = entryKey(key);
		byte[] ttl = utf8(Long.toString(ttlMillis));
		if (tags.isEmpty()) {
			byte[] entry = CacheEntry.encode(entryJson, Map.of(), loadMillis, type);
			if (this.writeBehind.entryKey(key) != null) {
				// A load of a write-behind cache: a write made while it ran is newer than the store's value, and stays.
				this.commands.setIfAbsent(entryKey, entry, ttlMillis);
			}
			else {
				this.commands.set(entryKey, entry, ttlMillis);
			}
			return true;
		}
		byte[] started = utf8(Long.toString((loadStartMicros > 0) ? loadStartMicros - this.clockMarginMicros : 0));
		if (!this.clustered) {
			return writeInOneCall(entryKey, (entryJson != null) ? entryJson : ABSENT_BODY, type, ttl, List.copyOf(tags),
					started, loadMillis);
		}
		Map<String, String> known = new LinkedHashMap<>();
		for (String tag : tags) {
			String version = this.versions.known(tag);
			if (version != null) {
				known.put(tag, version);
			}
		}
		if (known.size() == tags.size()) {
			Boolean written = writeWithKnownVersions(entryKey, CacheEntry.encode(entryJson, known, loadMillis, type),
					ttlMillis, ttl, known, started);
			if (written != null) {
				return written;
			}
			// A tag's record had expired or been evicted and has a new version: write again with it.
		}
		long epoch = this.versions.epoch();
		List<TagReply> replies = tagVersions(tags, ttl, started, null);
		Map<String, String> current = new LinkedHashMap<>();
		for (TagReply reply : replies) {
			if (reply.stale()) {
				return false;
			}
			current.put(reply.tag(), reply.version());
		}
		this.commands.set(entryKey, CacheEntry.encode(entryJson, current, loadMillis, type), ttlMillis);
		current.forEach((tag, version) -> this.versions.learn(tag, version, epoch));
		return true;
	}

	/** One script, one round trip, whether the versions are known here or not (entry and tags on one server). */
	private boolean writeInOneCall(byte[] entryKey, byte[] entryJson, @Nullable String type, byte[] ttl, List<String> tags,
			byte[] started, long loadMillis) {
		byte[][] keys = new byte[tags.size() + 1][];
		byte[][] args = new byte[5 + tags.size()][];
		args[0] = ttl;
		args[1] = started;
		args[2] = utf8(CacheEntry.headerWithoutTags(loadMillis, type));
		args[3] = entryJson;
		for (int i = 0; i < tags.size(); i++) {
			keys[i] = tagKey(tags.get(i));
			args[4 + i] = utf8(CacheEntry.encodeTag(tags.get(i)));
		}
		args[4 + tags.size()] = this.loadTimeoutMicros;
		keys[tags.size()] = entryKey;
		long epoch = this.versions.epoch();
		WriteTaggedReply reply = WriteTaggedReply.of(this.commands.script(WRITE_TAGGED, keys, args));
		if (reply.stale()) {
			return false;
		}
		for (int i = 0; i < tags.size(); i++) {
			this.versions.learn(tags.get(i), reply.versions().get(i), epoch);
		}
		return true;
	}

	/**
	 * One round trip: the tags' records and the entry are written together, the entry undone if a tag moved.
	 * @return true when written, false when stale (not to be cached), {@code null} when a version moved
	 */
	private @Nullable Boolean writeWithKnownVersions(byte[] entryKey, byte[] entry, long ttlMillis, byte[] ttl,
			Map<String, String> known, byte[] started) {
		List<TagReply> replies = tagVersions(known.keySet(), ttl, started, (redis) -> redis.set(entryKey, entry,
				SetArgs.Builder.px(ttlMillis)));
		boolean moved = false;
		boolean stale = false;
		for (TagReply reply : replies) {
			stale |= reply.stale();
			if (!reply.version().equals(known.get(reply.tag()))) {
				moved = true;
				this.versions.forget(reply.tag());
			}
		}
		if (moved || stale) {
			// Written with a version that is no longer current (never readable), or stale with the current one
			// (readable): take it away now.
			try {
				this.commands.delete(List.of(entryKey));
			}
			catch (DataAccessException ex) {
				if (stale) {
					// A stale entry that stays would be served: invalidate its tags again once Redis answers,
					// which makes it unreadable, and serve nothing with them here until then.
					this.deferred.defer(known.keySet(), ex);
				}
			}
			return stale ? Boolean.FALSE : null;
		}
		return Boolean.TRUE;
	}

	private List<TagReply> tagVersions(Collection<String> tags, byte[] ttl, byte[] started,
			@Nullable Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<String>> alongside) {
		return this.commands.send((redis) -> {
			List<String> names = List.copyOf(tags);
			List<RedisCalls.PendingScript<List<Object>>> pending = new ArrayList<>(names.size());
			for (String tag : names) {
				pending.add(this.commands.startScript(redis, TAG_VERSION, new byte[][] { tagKey(tag) }, ttl, started,
						this.loadTimeoutMicros));
			}
			RedisFuture<String> other = (alongside != null) ? alongside.apply(redis) : null;
			List<TagReply> replies = new ArrayList<>(names.size());
			for (int i = 0; i < names.size(); i++) {
				replies.add(TagReply.of(names.get(i), this.commands.awaitScript(redis, pending.get(i))));
			}
			if (other != null) {
				this.commands.await(other);
			}
			return replies;
		});
	}

	/** Gives each tag a new version and tells every instance; returns how many tags had a version. */
	long invalidate(Collection<String> tags) {
		List<String> names = List.copyOf(tags);
		long existed = this.commands.send((redis) -> {
			List<RedisCalls.PendingScript<List<Object>>> pending = new ArrayList<>(names.size());
			for (String tag : names) {
				pending.add(this.commands.startScript(redis, INVALIDATE_TAG, new byte[][] { tagKey(tag) },
						this.loadTimeoutMillis, this.channel, utf8(tag)));
			}
			long count = 0;
			for (RedisCalls.PendingScript<List<Object>> script : pending) {
				List<Object> reply = this.commands.awaitScript(redis, script);
				count += (Long) reply.get(0);
				noticeAnswered(reply);
			}
			return count;
		});
		names.forEach(this.versions::forget);
		return existed;
	}

	/**
	 * The notice of an invalidation was sent, or refused by the user's channel rules after the new version was
	 * written: a refusal is recorded for health, never thrown at the caller, whose invalidation has taken effect.
	 */
	private void noticeAnswered(List<Object> reply) {
		PermissionRefusals permissions = this.commands.permissions();
		if (reply.size() > 1) {
			Object refusal = reply.get(1);
			permissions.noticeRefused(INVALIDATION_NOTICES, new String(this.channel, StandardCharsets.UTF_8),
					(refusal instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(refusal),
					"instances subscribing as a user refused the channel check tag versions against Redis, and"
							+ " instances of another user serve what they hold until it expires");
		}
		else {
			permissions.noticeSent(INVALIDATION_NOTICES);
		}
	}

	/** An entry read, with its remaining life in ms (-1 when not asked for). */
	record Stored(CacheEntry entry, long ttlMillis) {
	}

	/**
	 * What {@code tag-version.lua} returns for one tag, {@code {version, stale}}, by name (its header is the contract).
	 * @param tag the tag asked about
	 * @param version the tag's current version
	 * @param stale whether the tag was invalidated after the load started, or the load is older than the load timeout
	 */
	private record TagReply(String tag, String version, boolean stale) {

		static TagReply of(String tag, List<?> reply) {
			return new TagReply(tag, new String((byte[]) reply.get(0), StandardCharsets.UTF_8),
					((Long) reply.get(1)) == 1L);
		}

	}

}
