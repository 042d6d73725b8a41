package dev.redisstarter.core;

import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;

/**
 * What a failure to talk to Redis was, read from the exception chain Lettuce reports: refused credentials
 * ({@code NOAUTH}, {@code WRONGPASS}), a refused command, key or channel ({@code NOPERM}), a failed TLS
 * handshake, or anything else (the server is unreachable, frozen, restarting). The first three are
 * configuration errors that waiting does not fix; only the last is an outage.
 *
 * @param kind what it was
 * @param message the server's or the TLS layer's own words, without secrets (Redis never repeats a password)
 * @param command the command Redis refused, lower case, for a {@link Kind#PERMISSION} failure whose message names
 * it; {@code null} otherwise
 */
public record RedisFailure(Kind kind, String message, @Nullable String command) {

	/** The kinds of failure, each with its own remedy. */
	public enum Kind {

		/** Redis refused the credentials, or asked for some and got none. */
		AUTHENTICATION,

		/** Redis refused a command, key or channel to the authenticated user (its ACL). */
		PERMISSION,

		/** The TLS handshake failed: a certificate not trusted, a name that does not match, TLS on one side only. */
		TLS,

		/** Redis could not be reached or did not answer. */
		UNREACHABLE;

		/**
		 * The kind in lower case, as health details show it.
		 * @return such as {@code authentication}
		 */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** How Redis 7.0 words an ACL refusal inside a script ("...can't run this command", "...can't publish to the channel"). */
	private static final String SCRIPT_REFUSAL = "The user executing the script can't";

	private static final Pattern COMMAND = Pattern.compile("'([^' ]+)' command");

	/** At most this many exceptions of a chain are read (a chain can be long, or loop). */
	private static final int MAX_EXCEPTIONS = 32;

	/** Checks the values. */
	public RedisFailure {
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(message, "message must not be null");
	}

	/**
	 * Classifies a failure by its whole cause chain.
	 * @param failure what a call or a connection attempt threw
	 * @return what it was
	 */
	public static RedisFailure of(Throwable failure) {
		// Causes and suppressed exceptions: a Cluster client that cannot load the topology reports each node's
		// failure (a WRONGPASS, a failed handshake) as suppressed by "Cannot retrieve cluster partitions".
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Deque<Throwable> toRead = new ArrayDeque<>();
		toRead.add(failure);
		while (!toRead.isEmpty() && seen.size() < MAX_EXCEPTIONS) {
			Throwable cause = toRead.removeFirst();
			if (!seen.add(cause)) {
				continue;
			}
			RedisFailure named = named(cause);
			if (named != null) {
				return named;
			}
			if (cause.getCause() != null) {
				toRead.addLast(cause.getCause());
			}
			for (Throwable suppressed : cause.getSuppressed()) {
				toRead.addLast(suppressed);
			}
		}
		return new RedisFailure(Kind.UNREACHABLE, describe(failure), null);
	}

	private static @Nullable RedisFailure named(Throwable cause) {
		if (cause instanceof SSLException || cause instanceof CertificateException) {
			return new RedisFailure(Kind.TLS, describe(cause), null);
		}
		String message = cause.getMessage();
		if (message == null) {
			return null;
		}
		if (isAuthentication(message)) {
			// Redis's own words: a Cluster client's message starts with its own line and names each node's error below.
			return new RedisFailure(Kind.AUTHENTICATION, firstLine(message.substring(authenticationStart(message))), null);
		}
		int scriptRefusal = message.indexOf(SCRIPT_REFUSAL);
		if (scriptRefusal >= 0) {
			// Redis 7.0 refuses a command, key or channel inside a script with ERR and these words; 7.2 says NOPERM.
			return new RedisFailure(Kind.PERMISSION, firstLine(message.substring(scriptRefusal)), null);
		}
		int noperm = message.indexOf("NOPERM");
		if (noperm >= 0) {
			String refusal = firstLine(message.substring(noperm));
			Matcher command = COMMAND.matcher(refusal);
			return new RedisFailure(Kind.PERMISSION, refusal,
					command.find() ? command.group(1).toLowerCase(Locale.ROOT) : null);
		}
		return null;
	}

	/**
	 * Whether a failure is a permission refusal.
	 * @param failure a failure
	 * @return true for {@code NOPERM} anywhere in its chain
	 */
	public static boolean isPermission(@Nullable Throwable failure) {
		return failure != null && of(failure).kind() == Kind.PERMISSION;
	}

	private static boolean isAuthentication(String message) {
		return message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")
				|| message.contains("invalid username-password") || message.contains("ERR invalid password")
				|| message.contains("without any password configured") || message.contains("NOAUTH ")
				|| message.contains("WRONGPASS ");
	}

	private static int authenticationStart(String message) {
		for (String marker : new String[] { "NOAUTH", "WRONGPASS", "ERR " }) {
			int at = message.indexOf(marker);
			if (at >= 0) {
				return at;
			}
		}
		return 0;
	}

	private static String describe(Throwable cause) {
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + firstLine(message) : "");
	}

	private static String firstLine(String message) {
		int end = message.indexOf('\n');
		String line = (end < 0) ? message : message.substring(0, end);
		return (line.length() > 300) ? line.substring(0, 300) + "..." : line.strip();
	}

}
