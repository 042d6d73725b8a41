package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.RedisCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * One capability's calls to Redis through {@link RedisAccess}: commands on Lettuce's asynchronous API, each
 * wait bounded by the capability's deadline. When the deadline passes, the caller gets a
 * {@link RedisDeadlineExceededException} at once and the expiry is counted in
 * {@code redis.starter.deadlines.expired} tagged {@code capability}; while Redis is known to be unreachable, a
 * {@link RedisUnavailableException} without touching the network. Both are Spring {@link DataAccessException}s,
 * as every other failure is, so each capability's Redis-down policy applies unchanged; except a permission
 * refusal ({@code NOPERM}), a configuration error thrown as {@link RedisPermissionException}, which no Redis-down
 * policy catches and which does not count against the circuit.
 *
 * <p>A reply that arrives after its caller gave up is dropped, unless the caller asked to see it
 * ({@link #awaitOrOnLateReply}) to undo what it did (a lock taken for nobody); that runs on the access's
 * {@linkplain RedisAccess#background() background thread}, never on Lettuce's I/O thread.
 */
public final class RedisCalls {

	private final RedisAccess access;

	private final Feature feature;

	private final Duration deadline;

	private final long deadlineNanos;

	/** One meter for every capability's expired deadlines, tagged {@code capability} (cache, lock, queue, ...). */
	public static final String DEADLINES_EXPIRED = CoreMeter.DEADLINES_EXPIRED.getName();

	private final @Nullable Counter expired;

	RedisCalls(RedisAccess access, Feature feature, Duration deadline, @Nullable MeterRegistry meterRegistry) {
		this.access = access;
		this.feature = feature;
		this.deadline = deadline;
		this.deadlineNanos = deadline.toNanos();
		this.expired = (meterRegistry != null) ? CoreMeter.DEADLINES_EXPIRED.counterBuilder()
			.tag(MeterTag.CAPABILITY.asString(), feature.propertyName())
			.register(meterRegistry) : null;
	}

	/**
	 * The capability.
	 * @return whose calls these are
	 */
	public Feature feature() {
		return this.feature;
	}

	/**
	 * The deadline of each call.
	 * @return how long a call waits for Redis
	 */
	public Duration deadline() {
		return this.deadline;
	}

	/**
	 * The access these calls go through.
	 * @return the shared access
	 */
	public RedisAccess access() {
		return this.access;
	}

	/**
	 * Runs commands and returns what {@code body} makes of their replies; {@code body} waits with
	 * {@link #await}. Refused at once while Redis is known to be unreachable.
	 * @param <T> the result
	 * @param body sends commands and awaits them
	 * @return its result
	 */
	public <T> T run(Function<RedisClusterAsyncCommands<byte[], byte[]>, T> body) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.access.commands(this, this.deadlineNanos);
		if (commands != null) {
			return body.apply(commands);
		}
		try (RedisConnection connection = this.access.connectionFactory().getConnection()) {
			@SuppressWarnings("unchecked")
			RedisClusterAsyncCommands<byte[], byte[]> shared = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			return body.apply(shared);
		}
	}

	/**
	 * Sends one command and waits for its reply.
	 * @param <T> the reply
	 * @param command sends the command
	 * @return the reply
	 */
	public <T> T call(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
		return run((redis) -> await(command.apply(redis)));
	}

	/**
	 * Waits for a reply, at most the deadline.
	 * @param <T> the reply
	 * @param reply a command sent with {@link #run}'s commands
	 * @return the reply
	 * @throws DataAccessException when Redis failed, or did not answer in time
	 * @throws RedisPermissionException when Redis refused the command, a key or a channel to the user ({@code NOPERM})
	 */
	public <T> T await(Future<T> reply) {
		try {
			return awaitRaw(reply, true, null);
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause(), reply, null);
		}
	}

	/**
	 * Waits for a reply, at most the deadline; if it comes later, hands it to {@code lateReply} (on a client
	 * thread) so that the caller, who has given up, can undo it.
	 * @param <T> the reply
	 * @param reply a command sent with {@link #run}'s commands
	 * @param lateReply what to do with a reply that came after the deadline
	 * @return the reply
	 */
	public <T> T awaitOrOnLateReply(RedisFuture<T> reply, Consumer<T> lateReply) {
		try {
			return awaitRaw(reply, false, null);
		}
		catch (RedisDeadlineExceededException ex) {
			reply.thenAcceptAsync(lateReply, this.access.background());
			throw ex;
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause(), reply, null);
		}
	}

	/**
	 * Runs a script: {@code EVALSHA}, and {@code EVAL} once on {@code NOSCRIPT} (a restarted or failed-over
	 * server, another Cluster node), which caches it there again.
	 * @param script the script
	 * @param type how to read its reply
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @param <T> the reply: integers as {@link Long}, strings as {@code byte[]}, arrays as {@link List}
	 * @return the reply
	 */
	public <T> T script(LuaScript<?> script, ScriptOutputType type, int keyCount, byte[]... keysAndArgs) {
		return run((redis) -> awaitScript(redis, startScript(redis, script, type, keyCount, keysAndArgs), null));
	}

	/**
	 * Sends a script without waiting; finish it with {@link #awaitScript}.
	 * @param <T> the reply
	 * @param redis the commands of the current {@link #run}
	 * @param script the script
	 * @param type how to read its reply
	 * @param keyCount how many of {@code keysAndArgs} are keys
	 * @param keysAndArgs keys, then arguments
	 * @return the script in flight
	 */
	public <T> PendingScript<T> startScript(RedisClusterAsyncCommands<byte[], byte[]> redis, LuaScript<?> script,
			ScriptOutputType type, int keyCount, byte[]... keysAndArgs) {
		byte[][] keys = new byte[keyCount][];
		System.arraycopy(keysAndArgs, 0, keys, 0, keyCount);
		byte[][] args = new byte[keysAndArgs.length - keyCount][];
		System.arraycopy(keysAndArgs, keyCount, args, 0, args.length);
		RedisFuture<T> reply = redis.evalsha(script.sha1(), type, keys, args);
		return new PendingScript<>(script, type, keys, args, reply);
	}

	/**
	 * Waits for a script sent with {@link #startScript}, sending it by text after {@code NOSCRIPT}.
	 * @param <T> the reply
	 * @param redis the commands of the current {@link #run}
	 * @param pending the script in flight
	 * @param lateReply what to do with a reply that came after the deadline, or after the calling thread was
	 * interrupted while waiting for it (the script may have run all the same), or {@code null} to drop it
	 * @return the reply
	 */
	public <T> T awaitScript(RedisClusterAsyncCommands<byte[], byte[]> redis, PendingScript<T> pending,
			@Nullable Consumer<T> lateReply) {
		String location = pending.script().location();
		try {
			try {
				return awaitRaw(pending.reply(), lateReply == null, location);
			}
			catch (RedisDeadlineExceededException | RedisSystemException ex) {
				if (lateReply != null && lateOrInterrupted(ex)) {
					pending.reply().thenAcceptAsync(lateReply, this.access.background());
				}
				throw ex;
			}
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof RedisNoScriptException)) {
				throw translate(ex.getCause(), pending.reply(), location);
			}
			RedisFuture<T> again = redis.eval(pending.script().text(), pending.type(), pending.scriptKeys(), pending.args());
			try {
				try {
					return awaitRaw(again, lateReply == null, location);
				}
				catch (RedisDeadlineExceededException | RedisSystemException expiry) {
					if (lateReply != null && lateOrInterrupted(expiry)) {
						again.thenAcceptAsync(lateReply, this.access.background());
					}
					throw expiry;
				}
			}
			catch (ExecutionException failed) {
				throw translate(failed.getCause(), again, location);
			}
		}
	}

	/** Whether a failed wait may still see its reply: past the deadline, or its thread interrupted. */
	private static boolean lateOrInterrupted(RuntimeException ex) {
		return ex instanceof RedisDeadlineExceededException || ex.getCause() instanceof InterruptedException;
	}

	/**
	 * Waits for a reply.
	 * @param script the script file the reply is for, or {@code null}: permission refusals are told apart by it
	 */
	private <T> T awaitRaw(Future<T> reply, boolean cancelLate, @Nullable String script) throws ExecutionException {
		long waitingSince = System.nanoTime();
		try {
			T value = reply.get(this.deadlineNanos, TimeUnit.NANOSECONDS);
			replied(reply, script);
			return value;
		}
		catch (TimeoutException ex) {
			if (cancelLate) {
				reply.cancel(false);
			}
			throw expired(waitingSince);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (cancelLate) {
				reply.cancel(false);
			}
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
		catch (CancellationException ex) {
			throw new RedisSystemException("The " + this.feature.segment() + " call to Redis was cancelled", ex);
		}
		catch (ExecutionException ex) {
			failedWith(ex.getCause());
			throw ex;
		}
	}

	/** Bookkeeping of a reply: Redis answers, and the command is no longer refused if it once was. */
	void replied(Future<?> reply, @Nullable String script) {
		this.access.answered();
		if (this.access.permissions().any()) {
			String command = commandOf(reply);
			if (command != null) {
				this.access.permissions().succeeded(this.feature, command, script);
			}
		}
	}

	/** Bookkeeping of a failed command: an error reply is an answer (a refused login, not even that); else a failure. */
	void failedWith(@Nullable Throwable cause) {
		if (cause instanceof RedisCommandExecutionException) {
			if (RedisFailure.of(cause).kind() == RedisFailure.Kind.AUTHENTICATION) {
				this.access.credentialsRefused(cause);
			}
			else {
				// Redis answered, with an error (a NOPERM among them: a permission error, not an outage).
				this.access.answered();
			}
		}
		else if (cause != null) {
			this.access.failed(cause);
		}
	}

	/** A deadline passed: counted, and a failure of Redis if nothing came back while the call waited. */
	RedisDeadlineExceededException expired(long waitingSince) {
		RedisDeadlineExceededException expiry = new RedisDeadlineExceededException(this.feature, this.deadline);
		if (this.expired != null) {
			this.expired.increment();
		}
		if (!this.access.answeredSince(waitingSince)) {
			// Nothing came back while this call waited: Redis may be gone. Replies that did come mean slow.
			this.access.failed(expiry);
		}
		return expiry;
	}

	/**
	 * Runs a script without waiting for it: {@code EVALSHA}, then {@code EVAL} after {@code NOSCRIPT}. The future
	 * completes with the reply, or fails with what {@link #script} would throw, at the latest at the deadline.
	 * @param script the script
	 * @param type how to read its reply
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @param <T> the reply
	 * @return the reply to come
	 */
	public <T> CompletableFuture<T> scriptAsync(LuaScript<?> script, ScriptOutputType type, int keyCount,
			byte[]... keysAndArgs) {
		return new AsyncScript<T>(this, script, type, keyCount, keysAndArgs, this.deadlineNanos).start();
	}

	/**
	 * Runs a script without waiting for it, as {@link #scriptAsync}, waiting for a connection being opened for less
	 * than the deadline: for a caller sending for others (no longer than its own time left) or a thread that must
	 * never wait, such as Lettuce's I/O thread (0: refused at once, not sent, while the starter's own connection is not
	 * established). Without the starter's connection (a plain connection factory) the script runs on the calling
	 * thread, as {@link #scriptAsync} runs it.
	 * @param connectionWaitNanos the longest wait for a connection being opened
	 * @param script the script
	 * @param type how to read its reply
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @param <T> the reply
	 * @return the reply to come
	 */
	public <T> CompletableFuture<T> scriptAsyncConnectingWithin(long connectionWaitNanos, LuaScript<?> script,
			ScriptOutputType type, int keyCount, byte[]... keysAndArgs) {
		return new AsyncScript<T>(this, script, type, keyCount, keysAndArgs,
				Math.max(0, Math.min(connectionWaitNanos, this.deadlineNanos))).start();
	}

	/**
	 * The shared connection's commands, or {@code null} without the starter's connection.
	 * @param connectionWaitNanos how long to wait for a connection being opened (0: not at all)
	 */
	@Nullable RedisClusterAsyncCommands<byte[], byte[]> commandsOrNull(long connectionWaitNanos) {
		return this.access.commands(this, connectionWaitNanos);
	}

	long deadlineNanos() {
		return this.deadlineNanos;
	}

	/**
	 * A data access exception for the capability's Redis-down policy, except for a permission refusal, which is
	 * a {@link RedisPermissionException} that no such policy catches.
	 */
	RuntimeException translate(@Nullable Throwable cause, Future<?> reply, @Nullable String script) {
		if (cause instanceof RedisCommandExecutionException) {
			RedisFailure failure = RedisFailure.of(cause);
			if (failure.kind() == RedisFailure.Kind.PERMISSION) {
				return this.access.permissions().refused(this.feature, commandOf(reply), script, failure, cause);
			}
			if (failure.kind() == RedisFailure.Kind.AUTHENTICATION) {
				return new RedisUnavailableException("Redis refuses the starter's credentials (" + failure.message()
						+ "); the " + this.feature.segment() + " call failed", cause);
			}
		}
		if (cause instanceof DataAccessException dataAccess) {
			return dataAccess;
		}
		String message = (cause != null) ? cause.getMessage() : "unknown failure";
		if (cause instanceof RedisCommandTimeoutException) {
			return new QueryTimeoutException(message, cause);
		}
		if (cause instanceof RedisConnectionException || (cause != null && !(cause instanceof RedisCommandExecutionException))) {
			return new RedisConnectionFailureException(message, cause);
		}
		return new RedisSystemException(message, cause);
	}

	/** The command a reply answers, lower case, when Lettuce tells. */
	private static @Nullable String commandOf(Future<?> reply) {
		if (reply instanceof RedisCommand<?, ?, ?> command && command.getType() != null) {
			return command.getType().toString().toLowerCase(Locale.ROOT);
		}
		return null;
	}

	@Override
	public String toString() {
		return "RedisCalls[" + this.feature.segment() + ", deadline " + this.deadline.toMillis() + " ms]";
	}

	/**
	 * A script sent and not yet answered.
	 * @param <T> the reply
	 * @param script the script
	 * @param type how its reply is read
	 * @param scriptKeys the keys it was sent with
	 * @param args its arguments
	 * @param reply the reply to come
	 */
	public record PendingScript<T>(LuaScript<?> script, ScriptOutputType type, byte[][] scriptKeys, byte[][] args,
			RedisFuture<T> reply) {
	}

}
