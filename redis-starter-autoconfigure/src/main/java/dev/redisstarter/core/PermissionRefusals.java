package dev.redisstarter.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The permission refusals ({@code NOPERM}) Redis answered the starter with, for logs and health: each
 * refused call (per capability and command, and per script for {@code EVALSHA}/{@code EVAL}) and each refused
 * subscription is logged once, with what to grant, and stays in {@link #current()} until the same capability's same
 * command (the same script) succeeds, its subscription comes up,
 * or it was not repeated for 10 minutes (a one-off refusal does not stay in health for ever).
 */
public final class PermissionRefusals {

	private static final Log logger = LogFactory.getLog(PermissionRefusals.class);

	/** A refusal not repeated for this long is forgotten. */
	static final Duration FORGET_AFTER = Duration.ofMinutes(10);

	/**
	 * One refusal.
	 * @param what what was refused, such as {@code cache evalsha} or {@code subscription for cache invalidations}
	 * @param message Redis's words
	 * @param at when it was last refused
	 */
	public record Refusal(String what, String message, Instant at) {
	}

	private final String keyPrefix;

	private final ConcurrentMap<String, Refusal> refusals = new ConcurrentHashMap<>();

	/**
	 * When each refused call was last logged (nanoTime), kept after it succeeds: a command that is refused and
	 * succeeds in turn (keys in and out of the user's pattern, Cluster nodes not all changed) is logged again only
	 * after {@link #FORGET_AFTER}, not at every refusal. As bounded as the refusals (capability, command, script).
	 */
	private final ConcurrentMap<String, Long> loggedAt = new ConcurrentHashMap<>();

	/** The refused calls whose refusal was logged and whose end is not yet. */
	private final Set<String> announced = ConcurrentHashMap.newKeySet();

	/**
	 * Refusals of one Redis access.
	 * @param keyPrefix the starter's key prefix, named in messages
	 */
	public PermissionRefusals(String keyPrefix) {
		this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
	}

	/**
	 * A call was refused: records it, logs it the first time, and returns the exception for the caller.
	 * @param feature the capability
	 * @param command the command, lower case, or {@code null} when unknown
	 * @param script the script file a refused {@code EVALSHA}/{@code EVAL} ran, or {@code null}
	 * @param failure the classified refusal
	 * @param cause what Lettuce reported
	 * @return the exception to throw
	 */
	RedisPermissionException refused(Feature feature, @Nullable String command, @Nullable String script,
			RedisFailure failure, Throwable cause) {
		String refusedCommand = (command != null) ? command : failure.command();
		// A script refused by EVAL (not yet cached) and later by EVALSHA is one refusal, ended by either succeeding.
		String what = feature.segment() + " " + ((refusedCommand == null) ? "command"
				: refusedCommand.equals("eval") ? "evalsha" : refusedCommand);
		String message = "Redis refused the starter's " + feature.segment() + " call"
				+ ((refusedCommand != null) ? " (" + refusedCommand.toUpperCase(java.util.Locale.ROOT)
						+ ((script != null) ? " of " + script : "") + ")" : "")
				+ ": " + failure.message() + ". This is a permission error of the Redis user (spring.data.redis.username, or"
				+ " the user in spring.data.redis.url), not an outage: grant it " + grant() + ". ACL GETUSER <user> shows"
				+ " what it has; ACL LOG shows what was refused.";
		if (feature == Feature.CONSOLE) {
			// An operator's read (INFO, SLOWLOG, SCAN, MEMORY USAGE) the user is not granted: the console shows the
			// error; the application's own calls, and so its health, are not concerned.
			return new RedisPermissionException(feature, refusedCommand, message, cause);
		}
		String identity = identity(what, script);
		if (this.refusals.put(identity, new Refusal(what, failure.message(), Instant.now())) == null) {
			if (firstInAWhile(identity)) {
				this.announced.add(identity);
				logger.error(message);
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(message);
			}
		}
		return new RedisPermissionException(feature, refusedCommand, message, cause);
	}

	/**
	 * A call of a capability succeeded: a refusal of the same command (of the same script) is over. One script
	 * succeeding says nothing of another one of the capability (a tagged write runs while the invalidation, which
	 * publishes, is refused a channel).
	 * @param feature the capability
	 * @param command the command, lower case
	 * @param script the script file an {@code EVALSHA}/{@code EVAL} ran, or {@code null}
	 */
	void succeeded(Feature feature, String command, @Nullable String script) {
		// EVAL runs the script an EVALSHA refused once it is granted (the script was never cached): the same call.
		String same = command.equals("eval") ? "evalsha" : command;
		String identity = identity(feature.segment() + " " + same, script);
		if (this.refusals.remove(identity) != null && this.announced.remove(identity)) {
			logger.info("Redis allows the starter's " + feature.segment() + " " + command.toUpperCase(java.util.Locale.ROOT)
					+ ((script != null) ? " of " + script : "") + " again");
		}
	}

	/**
	 * A command a capability sent on a connection of its own (a stream reader's) was refused: recorded and logged
	 * once, like a refused call, until {@link #succeededOwnConnection} is told the same command worked.
	 * @param feature the capability
	 * @param command the command, lower case
	 * @param failure the classified refusal
	 * @param cause what Lettuce reported
	 * @return the exception, naming what to grant
	 */
	public RedisPermissionException refusedOwnConnection(Feature feature, String command, RedisFailure failure,
			Throwable cause) {
		return refused(feature, command, null, failure, cause);
	}

	/**
	 * A command a capability sent on a connection of its own worked: a refusal of it is over.
	 * @param feature the capability
	 * @param command the command, lower case
	 */
	public void succeededOwnConnection(Feature feature, String command) {
		if (any()) {
			succeeded(feature, command, null);
		}
	}

	/** Whether a refused call was not logged within {@link #FORGET_AFTER}; if so, now it is. */
	private boolean firstInAWhile(String identity) {
		long now = System.nanoTime();
		boolean[] log = new boolean[1];
		this.loggedAt.compute(identity, (key, last) -> {
			log[0] = last == null || now - last >= FORGET_AFTER.toNanos();
			return log[0] ? now : last;
		});
		return log[0];
	}

	/** Refusals are told apart by what was refused and, for scripts, by which script. */
	private static String identity(String what, @Nullable String script) {
		return (script != null) ? what + " " + script : what;
	}

	/**
	 * A subscription was refused: records it and logs it the first time.
	 * @param description what the subscription is for
	 * @param channel the channel
	 * @param failure the classified refusal
	 */
	public void subscriptionRefused(String description, String channel, RedisFailure failure) {
		String what = "subscription for " + description;
		if (this.refusals.put(what, new Refusal(what, failure.message(), Instant.now())) == null) {
			logger.error("Redis refused the starter's subscription for " + description + " on channel '" + channel + "': "
					+ failure.message() + ". Until it is granted, " + description + " from other instances are not"
					+ " received. Grant the Redis user the channel (&" + channel + ", or " + grant() + "); the"
					+ " subscription is retried and resumes by itself.");
		}
	}

	/**
	 * A notice a script publishes after its write (a lock's release, a tag's invalidation) was refused by the user's
	 * channel rules. The write has taken effect (a script is not rolled back), so the caller is not failed: the
	 * refusal is recorded for health and logged the first time, until {@link #noticeSent} is told such a notice
	 * went out.
	 * @param description what the notices are, such as {@code lock release notices}
	 * @param channel the channel
	 * @param message Redis's words
	 * @param meanwhile what other instances do without the notices
	 */
	public void noticeRefused(String description, String channel, String message, String meanwhile) {
		String what = "publishing " + description;
		if (this.refusals.put(what, new Refusal(what, message, Instant.now())) == null) {
			// Refused and sent in turn (a Cluster whose nodes were not all changed): the ERROR at most once a while.
			String line = "Redis refused the starter's " + description + " on channel '" + channel + "' (a PUBLISH in a"
					+ " script, after its write took effect): " + message + ". The writes are done and their callers"
					+ " are not failed, but " + meanwhile + ". Grant the Redis user the channel (&" + channel + ", or "
					+ grant() + ").";
			if (firstInAWhile(what)) {
				this.announced.add(what);
				logger.error(line);
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(line);
			}
		}
	}

	/**
	 * A notice of the kind {@link #noticeRefused} recorded went out: the refusal is over.
	 * @param description what the notices are, as given to {@link #noticeRefused}
	 */
	public void noticeSent(String description) {
		String what = "publishing " + description;
		if (this.refusals.remove(what) != null && this.announced.remove(what)) {
			logger.info("Redis allows the " + what + " again");
		}
	}

	/**
	 * A subscription came up: a refusal of it is over.
	 * @param description what the subscription is for
	 */
	public void subscribed(String description) {
		if (this.refusals.remove("subscription for " + description) != null) {
			logger.info("Redis allows the starter's subscription for " + description + " again");
		}
	}

	/**
	 * A subscription of the application's listeners ({@code @RedisListener}, {@code @KeyEventListener}) was refused
	 * by the user's channel rules: records it under {@code what} and logs it the first time, naming the channel rule
	 * to grant. Refused again (at each retry), it stays recorded without a further log line.
	 * @param what what is refused, as health shows it, such as {@code subscription to channel shop:events}
	 * @param command the refused command, such as {@code SUBSCRIBE}
	 * @param name the channel, shard channel or pattern
	 * @param pattern whether {@code name} is a pattern ({@code PSUBSCRIBE})
	 * @param failure the classified refusal
	 * @param retryEvery how often the subscription is tried again
	 */
	public void listenerSubscriptionRefused(String what, String command, String name, boolean pattern,
			RedisFailure failure, Duration retryEvery) {
		if (this.refusals.put(what, new Refusal(what, failure.message(), Instant.now())) == null) {
			logger.error("Redis refused the " + what + " (" + command + " for the application's listeners): "
					+ failure.message() + ". Until it is granted, these listeners receive nothing. Grant the Redis user"
					+ " (spring.data.redis.username, or the user in spring.data.redis.url) the channel rule &" + name
					+ (pattern ? " exactly as written (Redis 7 compares a subscribed pattern with the user's channel"
							+ " rules literally, so &" + this.keyPrefix + "* does not cover it)"
							: " (or &" + this.keyPrefix + "* when it is under the key prefix)")
					+ "; ACL LOG shows the refusal. The subscription is tried again every " + retryEvery.toMillis()
					+ " ms and resumes by itself.");
		}
	}

	/**
	 * Redis refused the credentials or TLS handshake of a connection of the starter's own while its main connection,
	 * opened before, still works (a password changed or a user removed at run time; a certificate replaced): what
	 * depends on that connection gets nothing until an operator fixes the configuration. Recorded for health and
	 * logged once; {@link #granted} ends it when a connection opens.
	 * @param what the connection, such as {@code pub/sub connection to 127.0.0.1:6379}
	 * @param failure the classified refusal
	 * @param retryInMillis when the next attempt is made
	 */
	public void connectionRefused(String what, RedisFailure failure, long retryInMillis) {
		if (this.refusals.put(what, new Refusal(what, failure.message(), Instant.now())) == null) {
			String check = (failure.kind() == RedisFailure.Kind.TLS)
					? "check that the SSL bundle in spring.data.redis.ssl.bundle trusts the server's certificate"
					: "check spring.data.redis.username and spring.data.redis.password (or the user in"
							+ " spring.data.redis.url): Redis no longer accepts them for new connections, although"
							+ " connections opened before still work (a password changed or a user removed at run time?)";
			logger.error("Redis refused the " + what + " (" + failure.message() + "): the application's listeners"
					+ " on it receive nothing until this is fixed; " + check + ". Tried again with a back-off (next in "
					+ retryInMillis + " ms, at most every 30 s); it resumes by itself.");
		}
	}

	/**
	 * A refused subscription or call is allowed again: it leaves health, with a log line.
	 * @param what what was refused, as recorded
	 */
	public void granted(String what) {
		if (this.refusals.remove(what) != null) {
			logger.info("Redis allows the " + what + " again");
		}
	}

	/**
	 * A refused subscription is no longer wanted (its listeners are gone): it leaves health silently.
	 * @param what what was refused, as recorded
	 */
	public void forget(String what) {
		this.refusals.remove(what);
	}

	/**
	 * Whether anything is refused; cheap, for the hot path.
	 * @return true when a refusal is recorded
	 */
	boolean any() {
		return !this.refusals.isEmpty();
	}

	/**
	 * The refusals in force, oldest first.
	 * @return the refusals
	 */
	public List<Refusal> current() {
		Instant forgetBefore = Instant.now().minus(FORGET_AFTER);
		this.refusals.values().removeIf((refusal) -> refusal.at().isBefore(forgetBefore));
		return this.refusals.values().stream().sorted(Comparator.comparing(Refusal::at)).toList();
	}

	private String grant() {
		return "the starter's ACL rule for the key prefix '" + this.keyPrefix + "' (redis.starter.key-prefix): keys ~"
				+ this.keyPrefix + "*, channels &" + this.keyPrefix + "* and the commands listed in docs/security.md (\"An ACL user for the"
				+ " application\")";
	}

}
