package dev.redisstarter.core;

import java.util.List;
import java.util.function.Predicate;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;

/**
 * Replays every entry a dead-letter stream holds when the call starts, each once: streams' dead letters and
 * write-behind's share it.
 */
public final class DeadLetterReplay {

	private DeadLetterReplay() {
	}

	/**
	 * Replays, oldest first, the dead letters up to the stream's last id as read first, in pages that each start after
	 * the last id seen. A replay that fails again at once is dead-lettered under a new, later id, which this call does
	 * not reach (it is not replayed twice, and the call ends however long the failures go on).
	 * @param calls the calls that read the dead-letter stream
	 * @param key the dead-letter stream's key
	 * @param pageSize dead letters read per call
	 * @param replay replays one dead letter by id; true when it was replayed
	 * @return how many were replayed
	 * @throws org.springframework.dao.DataAccessException when a page cannot be read (or as {@code replay} throws)
	 */
	public static int replayThoseThereNow(RedisCalls calls, byte[] key, int pageSize, Predicate<String> replay) {
		List<StreamMessage<byte[], byte[]>> last = calls
			.call((redis) -> redis.xrevrange(key, Range.create("-", "+"), Limit.from(1)));
		if (last.isEmpty()) {
			return 0;
		}
		String end = last.get(0).getId();
		Range.Boundary<String> from = Range.Boundary.unbounded();
		int replayed = 0;
		while (true) {
			Range<String> range = Range.from(from, Range.Boundary.including(end));
			List<StreamMessage<byte[], byte[]>> page = calls.call((redis) -> redis.xrange(key, range, Limit.from(pageSize)));
			for (StreamMessage<byte[], byte[]> letter : page) {
				if (replay.test(letter.getId())) {
					replayed++;
				}
			}
			if (page.size() < pageSize || page.get(page.size() - 1).getId().equals(end)) {
				return replayed;
			}
			// Exclusive: the next page starts after the last letter of this one (Redis 6.2+).
			from = Range.Boundary.excluding(page.get(page.size() - 1).getId());
		}
	}

}
