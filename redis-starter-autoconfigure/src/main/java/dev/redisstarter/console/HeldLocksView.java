package dev.redisstarter.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisCalls;

/**
 * Locks held now and sessions alive, from a bounded {@code SCAN} of each node (never {@code KEYS}): pages of at most
 * 100 keys matching the lock or session prefix, until the list is full, the time budget is spent, or the scan ends.
 * Per lock: who holds it (the owner's instance and acquisition), its fencing token, its time left and how many wait
 * ({@code GET}s and {@code PTTL} pipelined per page); per read/write lock, its writer; per semaphore, the permits
 * taken (leases not yet ended by the node's clock). Sessions are counted (their records only), exactly when the scan ended within the budget, else as a floor.
 */
final class HeldLocksView {

	private static final int PAGE = 100;

	/**
	 * A lock held now.
	 *
	 * @param name the lock's name
	 * @param kind {@code exclusive}, {@code write} (a read/write lock's writer) or {@code permits} (a semaphore)
	 * @param owner who holds it ({@code <instance>:<acquisition>}), or the permits taken for a semaphore
	 * @param fencingToken its last fencing token, or {@code null}
	 * @param millisLeft its lease's time left, -1 without one
	 * @param waiters how many owners wait for it (exclusive locks), else {@code null}
	 * @param node the node it lives on
	 */
	record HeldLock(String name, String kind, String owner, @Nullable String fencingToken, long millisLeft,
			@Nullable Long waiters, String node) {
	}

	/**
	 * What the scans found.
	 *
	 * @param locks the locks held, at most the list size
	 * @param locksComplete whether every node's lock scan ended (else more may be held)
	 * @param sessions sessions counted
	 * @param sessionsComplete whether every node's session scan ended (else {@code sessions} is a floor)
	 * @param timeBudgetMillis the budget of each scan, per node
	 * @param errors per node that could not be read, why
	 */
	record Held(List<HeldLock> locks, boolean locksComplete, long sessions, boolean sessionsComplete,
			long timeBudgetMillis, List<String> errors) {
	}

	private final RedisNodes nodes;

	private final KeyNaming naming;

	private final int listSize;

	private final long budgetNanos;

	HeldLocksView(RedisNodes nodes, KeyNaming naming, int listSize, Duration timeBudget) {
		this.nodes = Objects.requireNonNull(nodes, "nodes must not be null");
		this.naming = Objects.requireNonNull(naming, "naming must not be null");
		this.listSize = listSize;
		this.budgetNanos = timeBudget.toNanos();
	}

	/** One scan at a time: a request made while one runs gets its answer. */
	private final SingleFlight<Held> scanning = new SingleFlight<>();

	Held held() {
		return this.scanning.get(this::scan);
	}

	private Held scan() {
		String lockPrefix = this.naming.prefix() + "lock:{";
		String sessionPrefix = this.naming.prefix() + "session:{";
		List<HeldLock> locks = new ArrayList<>();
		List<String> errors = new ArrayList<>();
		boolean locksComplete = true;
		boolean sessionsComplete = true;
		long sessions = 0;
		for (RedisNodes.Answer<NodeHeld> answer : this.nodes.each((node, calls) -> {
			List<HeldLock> found = new ArrayList<>();
			boolean complete = scan(node, calls, glob(lockPrefix), (keys) -> {
				locksOf(node, calls, keys, lockPrefix, found);
				return found.size() < this.listSize;
			});
			long[] counted = { 0 };
			boolean counting = scan(node, calls, glob(sessionPrefix), (keys) -> {
				for (String key : keys) {
					if (key.contains("}:s:")) {
						counted[0]++;
					}
				}
				return true;
			});
			return new NodeHeld(found, complete, counted[0], counting);
		})) {
			NodeHeld value = answer.value();
			if (value == null) {
				errors.add(answer.node() + ": " + answer.error());
				locksComplete = false;
				sessionsComplete = false;
				continue;
			}
			for (HeldLock lock : value.locks()) {
				if (locks.size() < this.listSize) {
					locks.add(new HeldLock(lock.name(), lock.kind(), lock.owner(), lock.fencingToken(), lock.millisLeft(),
							lock.waiters(), answer.node()));
				}
			}
			locksComplete &= value.locksComplete() && locks.size() < this.listSize;
			sessions += value.sessions();
			sessionsComplete &= value.sessionsComplete();
		}
		return new Held(locks, locksComplete, sessions, sessionsComplete,
				Duration.ofNanos(this.budgetNanos).toMillis(), errors);
	}

	/** What one node holds. */
	private record NodeHeld(List<HeldLock> locks, boolean locksComplete, long sessions, boolean sessionsComplete) {
	}

	/** Something done with each page of keys; false to stop. */
	@FunctionalInterface
	private interface Page {

		boolean take(List<String> keys);

	}

	/** Scans keys matching a glob page by page; true when the scan ended, false when stopped by the budget or the page. */
	private boolean scan(RedisClusterAsyncCommands<byte[], byte[]> node, RedisCalls calls, String glob, Page page) {
		long start = System.nanoTime();
		ScanArgs args = ScanArgs.Builder.matches(glob).limit(PAGE);
		ScanCursor cursor = ScanCursor.INITIAL;
		while (true) {
			KeyScanCursor<byte[]> found = calls.await(node.scan(cursor, args));
			List<String> keys = new ArrayList<>(found.getKeys().size());
			for (byte[] key : found.getKeys()) {
				keys.add(new String(key, StandardCharsets.UTF_8));
			}
			boolean more = page.take(keys);
			if (found.isFinished()) {
				return true;
			}
			if (!more || System.nanoTime() - start >= this.budgetNanos) {
				return false;
			}
			cursor = found;
		}
	}

	/** Reads the locks among a page of keys: one pipelined round of GETs, PTTLs and ZCARDs. */
	private void locksOf(RedisClusterAsyncCommands<byte[], byte[]> node, RedisCalls calls, List<String> keys,
			String lockPrefix, List<HeldLock> found) {
		List<String> bases = new ArrayList<>();
		List<String> kinds = new ArrayList<>();
		for (String key : keys) {
			if (key.endsWith("}")) {
				bases.add(key);
				kinds.add("exclusive");
			}
			else if (key.endsWith("}:rw:write")) {
				bases.add(key.substring(0, key.length() - ":rw:write".length()));
				kinds.add("write");
			}
			else if (key.endsWith("}:permits")) {
				bases.add(key.substring(0, key.length() - ":permits".length()));
				kinds.add("permits");
			}
		}
		// Permits are counted against the node's clock: an entry whose lease ended is not taken, even before the next
		// acquire purges it.
		RedisFuture<List<byte[]>> clock = kinds.contains("permits") ? node.time() : null;
		List<RedisFuture<?>> owners = new ArrayList<>();
		List<RedisFuture<Long>> ttls = new ArrayList<>();
		List<RedisFuture<byte[]>> fences = new ArrayList<>();
		List<RedisFuture<byte[]>> waiters = new ArrayList<>();
		for (int i = 0; i < bases.size(); i++) {
			String base = bases.get(i);
			String kind = kinds.get(i);
			String key = switch (kind) {
				case "write" -> base + ":rw:write";
				case "permits" -> base + ":permits";
				default -> base;
			};
			owners.add("permits".equals(kind) ? null : node.get(bytes(key)));
			ttls.add(node.pttl(bytes(key)));
			fences.add(node.get(bytes("write".equals(kind) ? base + ":rw:fence" : base + ":fence")));
			waiters.add(node.get(bytes(base + ":waiters")));
		}
		if (clock != null) {
			List<byte[]> time = calls.await(clock);
			long now = Long.parseLong(text(time.get(0))) * 1000 + Long.parseLong(text(time.get(1))) / 1000;
			Range<Long> live = Range.create(now + 1, Long.MAX_VALUE);
			for (int i = 0; i < bases.size(); i++) {
				if ("permits".equals(kinds.get(i))) {
					owners.set(i, node.zcount(bytes(bases.get(i) + ":permits"), live));
				}
			}
		}
		for (int i = 0; i < bases.size() && found.size() < this.listSize; i++) {
			Object owner = calls.await(owners.get(i));
			Long ttl = calls.await(ttls.get(i));
			byte[] fence = calls.await(fences.get(i));
			byte[] waiting = calls.await(waiters.get(i));
			if (owner == null || ttl == null || ttl == -2 || (owner instanceof Long taken && taken == 0)) {
				continue; // released between SCAN and now
			}
			String base = bases.get(i);
			String name = base.substring(lockPrefix.length(), base.length() - 1);
			String kind = kinds.get(i);
			found.add(new HeldLock(name, kind, (owner instanceof byte[] id) ? text(id) : owner + " permits taken",
					"permits".equals(kind) ? null : (fence != null) ? text(fence) : null, ttl,
					("exclusive".equals(kind)) ? ((waiting != null) ? Long.parseLong(text(waiting)) : 0L) : null, ""));
		}
	}

	/** A SCAN glob for keys that start with a literal prefix (glob characters in it escaped). */
	static String glob(String prefix) {
		StringBuilder glob = new StringBuilder(prefix.length() + 2);
		for (char c : prefix.toCharArray()) {
			if ("*?[]\\".indexOf(c) >= 0) {
				glob.append('\\');
			}
			glob.append(c);
		}
		return glob.append('*').toString();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
