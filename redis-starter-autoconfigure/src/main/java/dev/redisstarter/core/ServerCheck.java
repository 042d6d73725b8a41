package dev.redisstarter.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads the server's version and {@code maxmemory-policy} each time the starter connects, and reports what
 * could hurt: an eviction policy under which Redis may delete lock, session or rate-limit keys under memory
 * pressure (every {@code allkeys-*} policy, and the {@code volatile-*} ones, since every key the starter writes
 * has a time to live), and a server older than the oldest the starter supports. Problems are logged once each
 * (WARN, or ERROR in {@link Mode#FAIL}) and shown in health details. A server that refuses {@code CONFIG}
 * (managed services often do, and so does an ACL user without {@code +config|get}) has an unknown policy: in
 * {@link Mode#WARN} that is logged once at INFO and is no problem; in {@link Mode#FAIL} it is a problem (the check
 * was asked to guarantee a safe policy and cannot), whose message says to grant the command or to warn instead.
 * A refused {@code INFO} leaves the version unknown, which is no problem.
 */
public final class ServerCheck {

	private static final Log logger = LogFactory.getLog(ServerCheck.class);

	/** The oldest Redis the starter supports. */
	public static final String MINIMUM_VERSION = "6.2.0";

	/** What a problem found does. */
	public enum Mode {

		/** Log it and show it in health. */
		WARN,

		/** Refuse to start when Redis is reachable at start-up; otherwise log it as an error and report health DOWN. */
		FAIL,

		/** Do not check. */
		IGNORE

	}

	/**
	 * What a check found.
	 * @param version the server's {@code redis_version}, or {@code unknown}
	 * @param maxmemoryPolicy the eviction policy, or {@code unknown}
	 * @param problems what could hurt, empty when nothing
	 */
	public record Result(String version, String maxmemoryPolicy, List<String> problems) {

		/**
		 * Whether nothing could hurt.
		 * @return true without problems
		 */
		public boolean ok() {
			return this.problems.isEmpty();
		}

	}

	private final Mode mode;

	private final Collection<String> keptFeatures;

	private final CompletableFuture<Result> first = new CompletableFuture<>();

	private volatile @Nullable Result last;

	private volatile List<String> logged = List.of();

	/**
	 * A check.
	 * @param mode what a problem does
	 * @param keptFeatures the enabled capabilities whose keys must not be evicted (such as "locks", "sessions")
	 */
	public ServerCheck(Mode mode, Collection<String> keptFeatures) {
		this.mode = Objects.requireNonNull(mode, "mode must not be null");
		this.keptFeatures = List.copyOf(keptFeatures);
	}

	/**
	 * The mode.
	 * @return what a problem does
	 */
	public Mode mode() {
		return this.mode;
	}

	/**
	 * The last result, if a check has finished.
	 * @return the result, or {@code null}
	 */
	public @Nullable Result last() {
		return this.last;
	}

	/**
	 * Waits for the first check.
	 * @param millis at most this long
	 * @return its result, or {@code null} when none came in time (Redis unreachable)
	 */
	public @Nullable Result awaitFirst(long millis) {
		try {
			return this.first.get(millis, TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return null;
		}
	}

	/**
	 * Runs the check on a newly established connection, without blocking.
	 * @param redis the connection's commands
	 */
	public void run(RedisClusterAsyncCommands<byte[], byte[]> redis) {
		if (this.mode == Mode.IGNORE) {
			return;
		}
		CompletableFuture<String> info = redis.info("server")
			.toCompletableFuture()
			.thenApply(ServerCheck::versionOf)
			.exceptionally((refused) -> "unknown");
		String[] refusal = new String[1];
		CompletableFuture<String> policy = redis.configGet("maxmemory-policy")
			.toCompletableFuture()
			.thenApply(ServerCheck::policyOf)
			.exceptionally((refused) -> {
				refusal[0] = RedisFailure.of(refused).message();
				return "unknown";
			});
		info.thenCombine(policy, (version, maxmemoryPolicy) -> evaluate(version, maxmemoryPolicy, refusal[0]))
			.orTimeout(5, TimeUnit.SECONDS)
			.whenComplete((result, failure) -> {
				if (result != null) {
					report(result);
				}
			});
	}

	Result evaluate(String version, String maxmemoryPolicy) {
		return evaluate(version, maxmemoryPolicy, null);
	}

	/**
	 * Evaluates what was read. A policy that could not be read is a problem only in {@link Mode#FAIL}: the check
	 * was asked to guarantee a safe policy and cannot.
	 */
	Result evaluate(String version, String maxmemoryPolicy, @Nullable String configRefusal) {
		List<String> problems = new ArrayList<>();
		if (this.mode == Mode.FAIL && !this.keptFeatures.isEmpty() && maxmemoryPolicy.equals("unknown")) {
			problems.add("maxmemory-policy is unknown: Redis refused CONFIG GET maxmemory-policy ("
					+ ((configRefusal != null) ? configRefusal : "no answer") + "), so the eviction check cannot"
					+ " guarantee that keys of " + String.join(", ", this.keptFeatures) + " are kept; grant the starter's"
					+ " Redis user +config|get, or set redis.starter.resilience.eviction-policy-check to warn (and make"
					+ " sure the policy is noeviction yourself)");
		}
		if (!this.keptFeatures.isEmpty()
				&& (maxmemoryPolicy.startsWith("allkeys-") || maxmemoryPolicy.startsWith("volatile-"))) {
			problems.add("maxmemory-policy is " + maxmemoryPolicy + ": under memory pressure Redis may evict keys of "
					+ String.join(", ", this.keptFeatures) + " (a lock freed while held, a session ended, a limit reset);"
					+ " use noeviction, or a separate Redis for caching");
		}
		if (!version.equals("unknown") && compare(version, MINIMUM_VERSION) < 0) {
			problems.add("Redis " + version + " is older than " + MINIMUM_VERSION
					+ ", the oldest the starter supports: scripts and commands may fail");
		}
		return new Result(version, maxmemoryPolicy, List.copyOf(problems));
	}

	private void report(Result result) {
		boolean firstResult = this.last == null;
		this.last = result;
		this.first.complete(result);
		if (firstResult && result.maxmemoryPolicy().equals("unknown") && this.mode == Mode.WARN) {
			logger.info("The eviction-policy check is skipped: Redis did not tell its maxmemory-policy (CONFIG GET"
					+ " refused or unanswered)");
		}
		if (!result.problems().equals(this.logged)) {
			this.logged = result.problems();
			for (String problem : result.problems()) {
				if (this.mode == Mode.FAIL) {
					logger.error(problem);
				}
				else {
					logger.warn(problem);
				}
			}
		}
	}

	private static String policyOf(Map<String, String> reply) {
		return reply.getOrDefault("maxmemory-policy", "unknown");
	}

	private static String versionOf(String info) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("redis_version:")) {
				return line.substring("redis_version:".length()).strip();
			}
		}
		return "unknown";
	}

	static int compare(String version, String other) {
		String[] a = version.split("\\.");
		String[] b = other.split("\\.");
		for (int i = 0; i < Math.max(a.length, b.length); i++) {
			int x = (i < a.length) ? leadingNumber(a[i]) : 0;
			int y = (i < b.length) ? leadingNumber(b[i]) : 0;
			if (x != y) {
				return Integer.compare(x, y);
			}
		}
		return 0;
	}

	private static int leadingNumber(String part) {
		int end = 0;
		while (end < part.length() && Character.isDigit(part.charAt(end))) {
			end++;
		}
		return (end == 0) ? 0 : Integer.parseInt(part.substring(0, end));
	}

}
