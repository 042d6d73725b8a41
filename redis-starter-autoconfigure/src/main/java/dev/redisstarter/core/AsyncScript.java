package dev.redisstarter.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

/**
 * One script run without waiting ({@link RedisCalls#scriptAsync}): sent at once on the shared connection, sent by
 * text after {@code NOSCRIPT}, failed at its deadline if no reply came, with the same bookkeeping (circuit,
 * permissions, expired deadlines) and the same exceptions as a call that waits. Replies complete the future on
 * Lettuce's I/O thread: what the caller chains on it must not block.
 *
 * @param <T> the reply
 */
final class AsyncScript<T> {

	private final RedisCalls calls;

	private final LuaScript<?> script;

	private final ScriptOutputType type;

	private final int keyCount;

	private final byte[][] keysAndArgs;

	/** How long to wait for a connection being opened (0: not at all). */
	private final long connectionWaitNanos;

	private final CompletableFuture<T> result = new CompletableFuture<>();

	AsyncScript(RedisCalls calls, LuaScript<?> script, ScriptOutputType type, int keyCount, byte[][] keysAndArgs,
			long connectionWaitNanos) {
		this.calls = calls;
		this.script = script;
		this.type = type;
		this.keyCount = keyCount;
		this.keysAndArgs = keysAndArgs;
		this.connectionWaitNanos = connectionWaitNanos;
	}

	CompletableFuture<T> start() {
		RedisClusterAsyncCommands<byte[], byte[]> redis;
		try {
			redis = this.calls.commandsOrNull(this.connectionWaitNanos);
			if (redis == null) {
				// Not on the starter's connection (a plain connection factory): run it here and now.
				this.result.complete(this.calls.script(this.script, this.type, this.keyCount, this.keysAndArgs));
				return this.result;
			}
		}
		catch (RuntimeException ex) {
			this.result.completeExceptionally(ex);
			return this.result;
		}
		long sent = System.nanoTime();
		RedisCalls.PendingScript<T> pending = this.calls.startScript(redis, this.script, this.type, this.keyCount,
				this.keysAndArgs);
		pending.reply().whenComplete((value, failure) -> {
			Throwable cause = unwrap(failure);
			if (cause instanceof RedisNoScriptException) {
				RedisFuture<T> again = redis.eval(this.script.text(), this.type, pending.scriptKeys(), pending.args());
				again.whenComplete((retried, retryFailure) -> finish(again, retried, unwrap(retryFailure)));
			}
			else {
				finish(pending.reply(), value, cause);
			}
		});
		// A timer cancelled when the call ends: one left to run would hold the call, its arguments among them, until
		// its deadline, for every call of the last deadline however soon they were answered.
		CompletableFuture<Boolean> deadline = new CompletableFuture<Boolean>()
			.completeOnTimeout(Boolean.TRUE, this.calls.deadlineNanos(), TimeUnit.NANOSECONDS);
		deadline.thenAccept((expired) -> {
			if (expired && !this.result.isDone()) {
				// Off the timer's thread, as a delayed task ran before; an answered call costs no task.
				CompletableFuture.runAsync(() -> {
					if (!this.result.isDone() && this.result.completeExceptionally(this.calls.expired(sent))) {
						// Not sent yet, it never will be; sent, its late reply is dropped.
						pending.reply().cancel(false);
					}
				});
			}
		});
		this.result.whenComplete((value, failure) -> deadline.complete(Boolean.FALSE));
		return this.result;
	}

	private void finish(RedisFuture<T> reply, @Nullable T value, @Nullable Throwable cause) {
		if (this.result.isDone()) {
			return;
		}
		if (cause == null) {
			this.calls.replied(reply, this.script.location());
			this.result.complete(value);
		}
		else {
			this.calls.failedWith(cause);
			this.result.completeExceptionally(this.calls.translate(cause, reply, this.script.location()));
		}
	}

	private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
