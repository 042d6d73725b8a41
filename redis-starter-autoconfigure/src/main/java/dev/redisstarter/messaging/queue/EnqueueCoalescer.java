package dev.redisstarter.messaging.queue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisDeadlineExceededException;

/**
 * Sends the single enqueues of one queue that overlap in time as one {@code enqueue.lua} call. The first caller
 * sends at once; callers arriving while a call is in flight wait, and when it is answered the longest waiting of them
 * sends the next call for all of them. There is no timer: a lone enqueue is never held back, and under load Redis
 * and the client run one script (one command to encode, send, parse and wake for) per batch instead of one per job.
 * Each job keeps its own arguments: the script adds them in arrival order, exactly as separate calls would, so job
 * ids and deduplication keys behave the same (two callers with one job id: the first adds it, the second gets it).
 *
 * <p>
 * Every caller waits for its own job at most the queue's deadline. A job still waiting to be sent at its deadline is
 * taken out and never sent (the caller is told it failed, and it did); a job already sent is as uncertain as any call
 * that timed out. A failed call fails every job it carried.
 */
final class EnqueueCoalescer {

	/** Queues with a lane of their own; enqueues to further queues (names made per tenant, say) go one by one. */
	static final int MAX_LANES = 1024;

	private final RedisCalls calls;

	private final LuaScript<?> script;

	private final QueueKeys keys;

	private final int maxJobs;

	private final long maxBytes;

	private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

	/**
	 * @param calls the queue's calls (deadline, circuit)
	 * @param script {@code enqueue.lua}
	 * @param keys the queue's keys
	 * @param maxJobs jobs per call at most
	 * @param maxBytes payload bytes per call at most (a single larger job still goes alone)
	 */
	EnqueueCoalescer(RedisCalls calls, LuaScript<?> script, QueueKeys keys, int maxJobs, long maxBytes) {
		this.calls = calls;
		this.script = script;
		this.keys = keys;
		this.maxJobs = maxJobs;
		this.maxBytes = maxBytes;
	}

	/**
	 * Adds one job, waiting at most the deadline.
	 * @param queue the queue
	 * @param job the job's {@value RedisJobQueue#FIELDS_PER_JOB} arguments of {@code enqueue.lua}
	 * @param bytes the job's payload size
	 * @return the job's entry of the script's reply, {@code {id, added}}
	 * @throws DataAccessException when Redis failed, refused or did not answer in time
	 */
	Object enqueue(String queue, byte[][] job, long bytes) {
		Lane lane = this.lanes.get(queue);
		if (lane == null) {
			lane = (this.lanes.size() < MAX_LANES) ? this.lanes.computeIfAbsent(queue, this::lane) : lane(queue);
		}
		long deadline = System.nanoTime() + this.calls.deadline().toNanos();
		return lane.enqueue(new Waiter(job, bytes, deadline));
	}

	private Lane lane(String queue) {
		return new Lane(this.keys.scriptKeys(queue));
	}

	/** One caller's job and where its outcome goes. */
	private static final class Waiter {

		static final int WAITING = 0;

		/** Waiting, and holding the lane's turn to send: it sends the next call (and is usually in it). */
		static final int LEADING = 1;

		static final int TAKEN = 2;

		static final int ABANDONED = 3;

		static final AtomicIntegerFieldUpdater<Waiter> STATE = AtomicIntegerFieldUpdater.newUpdater(Waiter.class,
				"state");

		final byte[][] job;

		final long bytes;

		/** When its caller stops waiting ({@link System#nanoTime()}): not sent by then, it never is. */
		final long deadline;

		final Thread thread = Thread.currentThread();

		volatile int state = WAITING;

		/** The reply entry, or a {@link Failure}. */
		volatile @Nullable Object outcome;

		Waiter(byte[][] job, long bytes, long deadline) {
			this.job = job;
			this.bytes = bytes;
			this.deadline = deadline;
		}

		boolean expired() {
			return this.deadline - System.nanoTime() <= 0;
		}

		void settle(Object outcome) {
			this.outcome = outcome;
			LockSupport.unpark(this.thread);
		}

	}

	private record Failure(RuntimeException exception) {
	}

	/** The jobs of one queue waiting to be sent, and the turn to send them (held by at most one waiter or call). */
	private final class Lane {

		private final byte[][] scriptKeys;

		private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();

		/** Held from the moment a waiter is given the turn until the call it sent is answered. */
		private final AtomicBoolean sending = new AtomicBoolean();

		Lane(byte[][] scriptKeys) {
			this.scriptKeys = scriptKeys;
		}

		Object enqueue(Waiter me) {
			this.waiting.add(me);
			if (this.sending.compareAndSet(false, true)
					&& !Waiter.STATE.compareAndSet(me, Waiter.WAITING, Waiter.LEADING)) {
				// Between add and here the holder of the turn took this job, had it answered (or failed at once:
				// circuit open) and freed the turn: this caller needs no turn, so it passes it on, else it would keep
				// it for good and every later enqueue of the queue would wait out its deadline.
				release();
			}
			while (true) {
				Object outcome = me.outcome;
				if (outcome != null) {
					if (outcome instanceof Failure failure) {
						throw failure.exception();
					}
					return outcome;
				}
				// Deadline and interrupt first: a caller given the turn only after its deadline (its thread stalled)
				// or while interrupted passes the turn on and never sends its job.
				long left = me.deadline - System.nanoTime();
				if (left <= 0) {
					giveUp(me, new RedisDeadlineExceededException(EnqueueCoalescer.this.calls.feature(),
							EnqueueCoalescer.this.calls.deadline()));
					continue;
				}
				if (Thread.interrupted()) {
					Thread.currentThread().interrupt();
					giveUp(me, new RedisSystemException("Interrupted while waiting for Redis",
							new InterruptedException()));
					continue;
				}
				if (me.state == Waiter.LEADING) {
					send(me);
					continue;
				}
				LockSupport.parkNanos(this, left);
			}
		}

		/** Gives up waiting: a job not sent yet never will be; one sent may still be added. */
		private void giveUp(Waiter me, RuntimeException why) {
			while (true) {
				int state = me.state;
				if (state == Waiter.LEADING && Waiter.STATE.compareAndSet(me, state, Waiter.ABANDONED)) {
					// The turn passes on before this caller leaves.
					release();
					break;
				}
				if (state == Waiter.TAKEN || state == Waiter.ABANDONED || (state == Waiter.WAITING
						&& Waiter.STATE.compareAndSet(me, state, Waiter.ABANDONED))) {
					// ABANDONED: taken out at its deadline by the holder of the turn.
					break;
				}
				// Given the turn meanwhile: look again.
			}
			if (me.outcome != null) {
				// Answered while giving up: the caller gets the answer.
				return;
			}
			throw why;
		}

		/** Sends what waits, as the holder of the turn; the reply settles its jobs and passes the turn on. */
		private void send(Waiter me) {
			List<Waiter> batch = take();
			if (me.state == Waiter.LEADING) {
				// Not in this call (it was full): wait for a later one like any other job.
				me.state = Waiter.WAITING;
			}
			if (batch.isEmpty()) {
				release();
				return;
			}
			CompletableFuture<List<?>> reply;
			try {
				reply = EnqueueCoalescer.this.calls.scriptAsync(EnqueueCoalescer.this.script, ScriptOutputType.MULTI,
						QueueKeys.SCRIPT_KEYS, keysAndArgs(batch));
			}
			catch (RuntimeException | Error ex) {
				// The turn is never lost: with it, every later enqueue of the queue would wait out its deadline.
				try {
					settle(batch, null, ex);
				}
				finally {
					release();
				}
				if (ex instanceof Error error) {
					throw error;
				}
				return;
			}
			// Runs on Lettuce's I/O thread: it only hands outcomes over and wakes threads.
			reply.whenComplete((entries, failure) -> {
				try {
					settle(batch, entries, failure);
				}
				finally {
					release();
				}
			});
		}

		/** The oldest waiting jobs, up to a call's bounds; jobs given up on are dropped. */
		private List<Waiter> take() {
			List<Waiter> batch = new ArrayList<>();
			long bytes = 0;
			Waiter next;
			while (batch.size() < EnqueueCoalescer.this.maxJobs && (next = this.waiting.peek()) != null) {
				if (!batch.isEmpty() && bytes + next.bytes > EnqueueCoalescer.this.maxBytes) {
					break;
				}
				this.waiting.poll();
				int state = next.state;
				if (state == Waiter.ABANDONED) {
					continue;
				}
				if (next.expired()) {
					// Past its deadline, its caller not yet woken to give up (a stalled thread): never sent.
					Waiter.STATE.compareAndSet(next, state, Waiter.ABANDONED);
					LockSupport.unpark(next.thread);
				}
				else if (Waiter.STATE.compareAndSet(next, state, Waiter.TAKEN)) {
					batch.add(next);
					bytes += next.bytes;
				}
			}
			return batch;
		}

		private byte[][] keysAndArgs(List<Waiter> batch) {
			int fields = RedisJobQueue.FIELDS_PER_JOB;
			byte[][] all = new byte[this.scriptKeys.length + 1 + batch.size() * fields][];
			System.arraycopy(this.scriptKeys, 0, all, 0, this.scriptKeys.length);
			int at = this.scriptKeys.length;
			all[at++] = Integer.toString(batch.size()).getBytes(StandardCharsets.US_ASCII);
			for (Waiter waiter : batch) {
				System.arraycopy(waiter.job, 0, all, at, fields);
				at += fields;
			}
			return all;
		}

		private void settle(List<Waiter> batch, @Nullable List<?> entries, @Nullable Throwable failure) {
			RuntimeException error = null;
			if (failure != null || entries == null || entries.size() != batch.size()) {
				Throwable cause = (failure instanceof CompletionException completion
						&& completion.getCause() != null) ? completion.getCause() : failure;
				error = (cause instanceof RuntimeException runtime) ? runtime
						: new RedisSystemException((cause != null) ? "enqueue.lua failed: " + cause
								: "enqueue.lua answered " + ((entries != null) ? entries.size() : "nothing")
										+ " entries for " + batch.size() + " jobs", cause);
			}
			for (int i = 0; i < batch.size(); i++) {
				Object entry = (error != null) ? new Failure(error) : entries.get(i);
				batch.get(i).settle(entry);
			}
		}

		/** Passes the turn to the longest waiting job, or frees it when none waits. */
		private void release() {
			while (true) {
				this.sending.set(false);
				if (this.waiting.isEmpty() || !this.sending.compareAndSet(false, true)) {
					return;
				}
				Waiter head;
				while ((head = this.waiting.peek()) != null) {
					if (Waiter.STATE.compareAndSet(head, Waiter.WAITING, Waiter.LEADING)) {
						LockSupport.unpark(head.thread);
						return;
					}
					// Given up on: out of the way.
					this.waiting.poll();
				}
			}
		}

	}

}
