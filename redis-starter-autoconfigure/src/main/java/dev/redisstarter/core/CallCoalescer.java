package dev.redisstarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;

/**
 * Sends the calls of one lane that overlap in time as one call carrying all of them (one script run for many jobs
 * or many stream entries). The first caller of a lane sends at once; callers arriving while its call is in flight
 * wait, and when it is answered the thread that received the reply sends the next call for all of them (no thread
 * to wake first; when the starter's connection is not up, the longest waiting caller sends it instead, so the I/O
 * thread never waits for a connection). There is no timer: a lone call is never held back, and under load Redis and
 * the client handle one command (encoded, sent, parsed and woken for once) per batch instead of one per caller. The sender must handle the items of a batch in
 * order, each as a separate call would, so that a batch is indistinguishable from the calls one after the other.
 *
 * <p>
 * Every caller waits at most its capability's deadline ({@link RedisCalls#deadline()}). An item still waiting to be
 * sent at its caller's deadline is taken out and never sent (the caller is told it failed, and it did); an item
 * already sent is as uncertain as any call that timed out. A failed call fails every item it carried.
 *
 * @param <K> what names a lane: items of one lane may travel together (one queue; one Cluster slot)
 * @param <T> one caller's item
 */
public final class CallCoalescer<K, T> {

	private final RedisCalls calls;

	private final Sender<K, T> sender;

	private final String what;

	private final int maxItems;

	private final long maxWeight;

	private final int maxLanes;

	private final ConcurrentHashMap<K, Lane> lanes = new ConcurrentHashMap<>();

	/**
	 * A coalescer.
	 * @param calls the capability's calls (deadline, feature)
	 * @param what what one call is, for messages ({@code "enqueue.lua"})
	 * @param sender starts one call for a batch
	 * @param maxItems items per call at most
	 * @param maxWeight weight (bytes, say) per call at most; a single heavier item still goes, alone
	 * @param maxLanes lanes kept at most; callers of further lanes go one by one
	 */
	public CallCoalescer(RedisCalls calls, String what, Sender<K, T> sender, int maxItems, long maxWeight,
			int maxLanes) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.what = Objects.requireNonNull(what, "what must not be null");
		this.sender = Objects.requireNonNull(sender, "sender must not be null");
		if (maxItems < 1 || maxWeight < 1 || maxLanes < 0) {
			throw new IllegalArgumentException("maxItems and maxWeight must be positive, maxLanes not negative");
		}
		this.maxItems = maxItems;
		this.maxWeight = maxWeight;
		this.maxLanes = maxLanes;
	}

	/**
	 * Sends one item with whatever else of its lane waits, waiting at most the deadline.
	 * @param lane the item's lane
	 * @param item the item
	 * @param weight its weight against the call's bound
	 * @return the item's entry of the call's reply
	 * @throws DataAccessException when Redis failed, refused or did not answer in time
	 */
	public Object submit(K lane, T item, long weight) {
		Lane found = this.lanes.get(lane);
		if (found == null) {
			found = (this.lanes.size() < this.maxLanes) ? this.lanes.computeIfAbsent(lane, Lane::new)
					: new Lane(lane);
		}
		long deadline = System.nanoTime() + this.calls.deadline().toNanos();
		return found.submit(new Waiter<>(item, weight, deadline));
	}

	/**
	 * Starts one call carrying a batch.
	 * @param <K> what names a lane
	 * @param <T> one item
	 */
	@FunctionalInterface
	public interface Sender<K, T> {

		/**
		 * Starts the call; it must handle the items in order, as separate calls would.
		 * @param lane the batch's lane
		 * @param items the batch, in arrival order (never empty)
		 * @param connectionWaitNanos the longest the call may wait for a connection being opened, for
		 * {@link RedisCalls#scriptAsyncConnectingWithin}: the sending caller's own time left, or 0 on a reply's thread
		 * @return the reply to come, one entry per item in the same order; it must complete, at the latest at the
		 * deadline (as {@link RedisCalls#scriptAsyncConnectingWithin} does)
		 */
		CompletableFuture<? extends List<?>> send(K lane, List<T> items, long connectionWaitNanos);

	}

	/** One caller's item and where its outcome goes. */
	static final class Waiter<T> {

		static final int WAITING = 0;

		/** Waiting, and holding the lane's turn to send: it sends the next call (and is usually in it). */
		static final int LEADING = 1;

		static final int TAKEN = 2;

		static final int ABANDONED = 3;

		@SuppressWarnings("rawtypes")
		static final AtomicIntegerFieldUpdater<Waiter> STATE = AtomicIntegerFieldUpdater.newUpdater(Waiter.class,
				"state");

		final T item;

		final long weight;

		/** When its caller stops waiting ({@link System#nanoTime()}): not sent by then, it never is. */
		final long deadline;

		final Thread thread = Thread.currentThread();

		volatile int state = WAITING;

		/** The reply entry, or a {@link Failure}. */
		volatile @Nullable Object outcome;

		Waiter(T item, long weight, long deadline) {
			this.item = item;
			this.weight = weight;
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

	/** The items of one lane waiting to be sent, and the turn to send them (held by at most one waiter or call). */
	final class Lane {

		private final K key;

		private final ConcurrentLinkedQueue<Waiter<T>> waiting = new ConcurrentLinkedQueue<>();

		/** Held from the moment a waiter is given the turn until the call it sent is answered. */
		private final AtomicBoolean sending = new AtomicBoolean();

		Lane(K key) {
			this.key = key;
		}

		Object submit(Waiter<T> me) {
			this.waiting.add(me);
			if (this.sending.compareAndSet(false, true)
					&& !Waiter.STATE.compareAndSet(me, Waiter.WAITING, Waiter.LEADING)) {
				// Between add and here the holder of the turn took this item, had it answered (or failed at once:
				// circuit open) and freed the turn: this caller needs no turn, so it passes it on, else it would keep
				// it for good and every later call of the lane would wait out its deadline.
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
				// or while interrupted passes the turn on and never sends its item.
				long left = me.deadline - System.nanoTime();
				if (left <= 0) {
					giveUp(me, new RedisDeadlineExceededException(CallCoalescer.this.calls.feature(),
							CallCoalescer.this.calls.deadline()));
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

		/** Gives up waiting: an item not sent yet never will be; one sent may still be handled. */
		private void giveUp(Waiter<T> me, RuntimeException why) {
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

		/** Sends what waits, as the holder of the turn; the reply settles its items and passes the turn on. */
		private void send(Waiter<T> me) {
			List<Waiter<T>> batch = take();
			if (me.state == Waiter.LEADING) {
				// Not in this call (it was full): wait for a later one like any other item.
				me.state = Waiter.WAITING;
			}
			if (batch.isEmpty()) {
				release();
				return;
			}
			// Waiting for a connection being opened, this caller holds every other caller of the lane: never past its
			// own deadline (a caller given the turn late in it would otherwise wait a whole further deadline).
			start(batch, Math.max(1, me.deadline - System.nanoTime()));
		}

		/** Starts the call for a batch, holding the turn, which its reply passes on. */
		private void start(List<Waiter<T>> batch, long connectionWaitNanos) {
			CompletableFuture<? extends List<?>> reply;
			try {
				List<T> items = new ArrayList<>(batch.size());
				for (Waiter<T> waiter : batch) {
					items.add(waiter.item);
				}
				reply = CallCoalescer.this.sender.send(this.key, items, connectionWaitNanos);
			}
			catch (RuntimeException | Error ex) {
				// The turn is never lost: with it, every later call of the lane would wait out its deadline.
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
			// Answered at once (failed fast, or run on the caller's thread without the starter's connection), the turn
			// goes to a waiting caller rather than round in a loop on this thread. Otherwise this runs on the thread
			// that completed the reply, Lettuce's I/O thread most often: it hands outcomes over, wakes their callers
			// and sends what waits meanwhile, so no thread has to be woken before the next call.
			boolean answeredAtOnce = reply.isDone();
			reply.whenComplete((entries, failure) -> {
				try {
					settle(batch, entries, failure);
				}
				catch (RuntimeException | Error ex) {
					release();
					throw ex;
				}
				if (answeredAtOnce) {
					release();
				}
				else {
					sendNextOrRelease();
				}
			});
		}

		/**
		 * After a reply, on its thread: sends the next batch at once while the starter's connection is up, never
		 * waiting for one (the I/O thread is never held); otherwise the turn goes to a waiter, who may wait for a
		 * connection within its own deadline.
		 */
		private void sendNextOrRelease() {
			if (!CallCoalescer.this.calls.access().isConnected()) {
				release();
				return;
			}
			List<Waiter<T>> batch;
			try {
				batch = take();
			}
			catch (RuntimeException | Error ex) {
				release();
				throw ex;
			}
			if (batch.isEmpty()) {
				release();
				return;
			}
			// Never waiting for a connection: should it drop between the check above and the send, the call is
			// refused at once (its items fail as not sent) rather than this thread waiting for a new one.
			start(batch, 0);
		}

		/** The oldest waiting items, up to a call's bounds; items given up on are dropped. */
		private List<Waiter<T>> take() {
			List<Waiter<T>> batch = new ArrayList<>();
			long weight = 0;
			Waiter<T> next;
			while (batch.size() < CallCoalescer.this.maxItems && (next = this.waiting.peek()) != null) {
				if (!batch.isEmpty() && weight + next.weight > CallCoalescer.this.maxWeight) {
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
					weight += next.weight;
				}
			}
			return batch;
		}

		private void settle(List<Waiter<T>> batch, @Nullable List<?> entries, @Nullable Throwable failure) {
			RuntimeException error = null;
			if (failure != null || entries == null || entries.size() != batch.size()) {
				Throwable cause = (failure instanceof CompletionException completion
						&& completion.getCause() != null) ? completion.getCause() : failure;
				String what = CallCoalescer.this.what;
				error = (cause instanceof RuntimeException runtime) ? runtime
						: new RedisSystemException((cause != null) ? what + " failed: " + cause
								: what + " answered " + ((entries != null) ? entries.size() : "nothing")
										+ " entries for " + batch.size() + " items", cause);
			}
			for (int i = 0; i < batch.size(); i++) {
				Object entry = (error != null) ? new Failure(error) : entries.get(i);
				batch.get(i).settle((entry != null) ? entry : new Failure(
						new RedisSystemException(CallCoalescer.this.what + " answered nothing for an item", null)));
			}
		}

		/** Passes the turn to the longest waiting item, or frees it when none waits. */
		private void release() {
			while (true) {
				this.sending.set(false);
				if (this.waiting.isEmpty() || !this.sending.compareAndSet(false, true)) {
					return;
				}
				Waiter<T> head;
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
