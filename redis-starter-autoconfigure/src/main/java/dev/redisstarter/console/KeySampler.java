package dev.redisstarter.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisPermissionException;

/**
 * A bounded look at one node's keys: {@code SCAN} pages of at most 100 keys, each key's {@code MEMORY USAGE}
 * and {@code PTTL} pipelined, until the sample holds {@code sampleSize} keys, the time budget is spent, or the
 * scan ends, whichever comes first (the budget is checked between pages, so it is overrun by at most one page).
 * Then {@code TYPE} for the biggest keys. Keys are grouped by the starter's capabilities (the segment after the
 * starter's prefix) and by their first segment; keys under the starter's prefix without a TTL are listed.
 */
public final class KeySampler {

	private static final int PAGE = 100;

	private static final int BIGGEST = 10;

	private static final int WITHOUT_TTL = 20;

	private static final int GROUPS = 30;

	/** Why a sample stopped. */
	public enum Stop {

		/** It holds the sample size. */
		SIZE,

		/** The time budget was spent. */
		TIME,

		/** The scan went through every key. */
		END

	}

	/**
	 * Memory of a group of keys in the sample.
	 *
	 * @param keys how many sampled keys
	 * @param bytes their memory, as {@code MEMORY USAGE} estimates it
	 */
	public record Group(long keys, long bytes) {

		Group plus(long bytes) {
			return new Group(this.keys + 1, this.bytes + bytes);
		}

	}

	/**
	 * A sampled key.
	 *
	 * @param key its name
	 * @param bytes its memory
	 * @param type its type ({@code TYPE}), known for the biggest keys
	 * @param ttlMillis its time to live, -1 for none
	 */
	public record SampledKey(String key, long bytes, @Nullable String type, long ttlMillis) {
	}

	/**
	 * The sample of one node.
	 *
	 * @param sampled how many keys are in it
	 * @param refused how many keys the scan met that the Redis user may not read (left out)
	 * @param elapsedMillis how long it took
	 * @param stoppedBy why it stopped: {@code size}, {@code time} or {@code end}
	 * @param byCapability memory of the starter's keys, per capability segment
	 * @param byPrefix memory per first key segment (at most 30 groups, the biggest)
	 * @param biggest the biggest keys found
	 * @param withoutTtl how many sampled keys under the starter's prefix have no TTL
	 * @param withoutTtlKeys the first of them
	 */
	public record Sample(long sampled, long refused, long elapsedMillis, String stoppedBy, Map<String, Group> byCapability,
			Map<String, Group> byPrefix, List<SampledKey> biggest, long withoutTtl, List<String> withoutTtlKeys) {
	}

	private final KeyNaming naming;

	private final int sampleSize;

	private final long budgetNanos;

	KeySampler(KeyNaming naming, int sampleSize, Duration timeBudget) {
		this.naming = Objects.requireNonNull(naming, "naming must not be null");
		this.sampleSize = sampleSize;
		this.budgetNanos = timeBudget.toNanos();
	}

	Sample sample(RedisClusterAsyncCommands<byte[], byte[]> node, RedisCalls calls) {
		long start = System.nanoTime();
		String prefix = this.naming.prefix();
		Map<String, Group> byCapability = new HashMap<>();
		Map<String, Group> byPrefix = new HashMap<>();
		PriorityQueue<SampledKey> biggest = new PriorityQueue<>(Comparator.comparingLong(SampledKey::bytes));
		List<String> withoutTtlKeys = new ArrayList<>();
		long withoutTtl = 0;
		long sampled = 0;
		long refused = 0;
		Stop stop = null;
		ScanCursor cursor = ScanCursor.INITIAL;
		while (stop == null) {
			long left = this.sampleSize - sampled;
			KeyScanCursor<byte[]> page = calls.await(node.scan(cursor, ScanArgs.Builder.limit(Math.min(PAGE, left))));
			List<byte[]> keys = page.getKeys();
			if (keys.size() > left) {
				keys = keys.subList(0, (int) left);
			}
			List<RedisFuture<Long>> memory = new ArrayList<>(keys.size());
			List<RedisFuture<Long>> ttls = new ArrayList<>(keys.size());
			for (byte[] key : keys) {
				memory.add(node.memoryUsage(key));
				ttls.add(node.pttl(key));
			}
			for (int i = 0; i < keys.size(); i++) {
				Long bytesReply;
				Long ttlReply;
				try {
					bytesReply = calls.await(memory.get(i));
					ttlReply = calls.await(ttls.get(i));
				}
				catch (RedisPermissionException ex) {
					refused++; // a key outside the user's ACL key patterns: SCAN lists it, MEMORY USAGE may not read it
					continue;
				}
				if (bytesReply == null || ttlReply == null || ttlReply == -2) {
					continue; // gone between SCAN and now
				}
				long bytes = bytesReply;
				String key = new String(keys.get(i), StandardCharsets.UTF_8);
				sampled++;
				int colon = key.indexOf(':');
				byPrefix.merge((colon < 0) ? key : key.substring(0, colon + 1), new Group(1, bytes),
						(a, b) -> a.plus(bytes));
				if (key.startsWith(prefix)) {
					String rest = key.substring(prefix.length());
					int end = rest.indexOf(':');
					byCapability.merge((end < 0) ? rest : rest.substring(0, end), new Group(1, bytes),
							(a, b) -> a.plus(bytes));
					if (ttlReply == -1) {
						withoutTtl++;
						if (withoutTtlKeys.size() < WITHOUT_TTL) {
							withoutTtlKeys.add(key);
						}
					}
				}
				biggest.add(new SampledKey(key, bytes, null, ttlReply));
				if (biggest.size() > BIGGEST) {
					biggest.poll();
				}
			}
			cursor = page;
			if (sampled >= this.sampleSize) {
				stop = Stop.SIZE;
			}
			else if (page.isFinished()) {
				stop = Stop.END;
			}
			else if (System.nanoTime() - start >= this.budgetNanos) {
				stop = Stop.TIME;
			}
		}
		List<SampledKey> top = new ArrayList<>(biggest);
		top.sort(Comparator.comparingLong(SampledKey::bytes).reversed());
		List<RedisFuture<String>> types = top.stream()
			.map((key) -> node.type(key.key().getBytes(StandardCharsets.UTF_8)))
			.toList();
		List<SampledKey> typed = new ArrayList<>(top.size());
		for (int i = 0; i < top.size(); i++) {
			SampledKey key = top.get(i);
			typed.add(new SampledKey(key.key(), key.bytes(), calls.await(types.get(i)), key.ttlMillis()));
		}
		long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
		return new Sample(sampled, refused, elapsed, stop.name().toLowerCase(java.util.Locale.ROOT),
				sorted(byCapability), sorted(byPrefix), typed, withoutTtl, withoutTtlKeys);
	}

	private static Map<String, Group> sorted(Map<String, Group> groups) {
		Map<String, Group> sorted = new LinkedHashMap<>();
		groups.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Group>comparingByValue(Comparator.comparingLong(Group::bytes)).reversed())
			.limit(GROUPS)
			.forEach((entry) -> sorted.put(entry.getKey(), entry.getValue()));
		return sorted;
	}

}
