package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;

/**
 * Removes the entries whose keys match a glob: {@code SCAN}, never {@code KEYS}, and {@code UNLINK} in batches,
 * on the cache's own connection, so each page is bounded by the cache deadline and refused at once while the
 * circuit is open. On a Cluster, Lettuce's cluster {@code SCAN} walks every master in turn, and {@code UNLINK} is
 * split by slot. The cache's own records (tag versions, load locks) are left alone.
 */
final class PatternInvalidation {

	private static final int PAGE = 500;

	private final CacheCommands commands;

	private final KeyNaming keys;

	PatternInvalidation(CacheCommands commands, KeyNaming keys) {
		this.commands = commands;
		this.keys = keys;
	}

	long invalidate(String glob) {
		if (glob == null || glob.isEmpty()) {
			throw new IllegalArgumentException("The pattern must not be empty");
		}
		ScanArgs args = ScanArgs.Builder.matches(this.keys.pattern(Feature.CACHE, glob)).limit(PAGE);
		String internal = this.keys.key(Feature.CACHE, "", "");
		long removed = 0;
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			ScanCursor from = cursor;
			KeyScanCursor<byte[]> page = this.commands.send((redis) -> this.commands.await(redis.scan(from, args)));
			List<byte[]> batch = new ArrayList<>(page.getKeys().size());
			for (byte[] key : page.getKeys()) {
				String name = new String(key, StandardCharsets.UTF_8);
				if (!name.startsWith(internal)) {
					batch.add(key);
				}
			}
			removed += this.commands.unlink(batch);
			cursor = page;
		}
		while (!cursor.isFinished());
		return removed;
	}

}
