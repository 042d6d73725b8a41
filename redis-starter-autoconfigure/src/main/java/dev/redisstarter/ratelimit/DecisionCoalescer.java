package dev.redisstarter.ratelimit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;

import dev.redisstarter.core.CallCoalescer;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;

/**
 * Sends the rate-limit decisions that overlap in time as one {@code decide.lua} call (a {@link CallCoalescer}):
 * on a standalone or Sentinel Redis every decision may travel with any other; on a Cluster only decisions whose keys
 * share a slot (a lane per slot), since a script's keys must. The script decides them one after the other in
 * arrival order, each seeing what the ones before wrote, so a batch decides exactly as separate calls would.
 */
final class DecisionCoalescer {

	/** Decisions per call at most. */
	static final int MAX_DECISIONS = 128;

	/**
	 * Weight per call at most: a decision weighs 1, a sliding-log one its permits (the log entries it writes), so
	 * a heavy request never waits behind many others nor holds Redis for long.
	 */
	static final long MAX_WEIGHT = 2 * RedisRateLimiter.MAX_SLIDING_LOG_PERMITS;

	private static final Integer ONE_LANE = 0;

	private final RedisCalls calls;

	private final LuaScript<?> script;

	private final boolean clustered;

	private final CallCoalescer<Integer, Decision> lanes;

	/**
	 * @param calls the rate-limit calls (deadline, circuit)
	 * @param script {@code decide.lua}
	 * @param clustered whether Redis is a Cluster (a lane per slot)
	 */
	DecisionCoalescer(RedisCalls calls, LuaScript<?> script, boolean clustered) {
		this.calls = calls;
		this.script = script;
		this.clustered = clustered;
		this.lanes = new CallCoalescer<>(calls, script.location(), this::send, MAX_DECISIONS, MAX_WEIGHT,
				clustered ? SlotHash.SLOT_COUNT : 1);
	}

	/**
	 * Decides one request, waiting at most the deadline.
	 * @param keys its limits' keys, two per limit (state, block marker), all in one slot
	 * @param args its arguments: limit count, permits, six per limit
	 * @param weight its weight against a call's bound
	 * @return its entry of the reply: four integers per limit
	 * @throws DataAccessException when Redis failed, refused or did not answer in time, or deciding this request
	 * failed in the script (data of the wrong type under its key)
	 */
	List<?> decide(byte[][] keys, byte[][] args, long weight) {
		Integer lane = this.clustered ? SlotHash.getSlot(keys[0]) : ONE_LANE;
		List<?> entry = (List<?>) this.lanes.submit(lane, new Decision(keys, args), weight);
		if (!entry.isEmpty() && entry.get(0) instanceof Long status && status == -1) {
			Object message = (entry.size() > 1) ? entry.get(1) : null;
			throw new RedisSystemException(this.script.location() + " failed for this request: "
					+ ((message instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : message), null);
		}
		return entry;
	}

	private CompletableFuture<List<?>> send(Integer lane, List<Decision> decisions) {
		int keyCount = 0;
		int argCount = 1;
		for (Decision decision : decisions) {
			keyCount += decision.keys().length;
			argCount += decision.args().length;
		}
		byte[][] all = new byte[keyCount + argCount][];
		int key = 0;
		int arg = keyCount;
		all[arg++] = Integer.toString(decisions.size()).getBytes(StandardCharsets.US_ASCII);
		for (Decision decision : decisions) {
			System.arraycopy(decision.keys(), 0, all, key, decision.keys().length);
			key += decision.keys().length;
			System.arraycopy(decision.args(), 0, all, arg, decision.args().length);
			arg += decision.args().length;
		}
		return this.calls.scriptAsync(this.script, ScriptOutputType.MULTI, keyCount, all);
	}

	/** One request's keys and arguments of {@code decide.lua}. */
	private record Decision(byte[][] keys, byte[][] args) {
	}

}
