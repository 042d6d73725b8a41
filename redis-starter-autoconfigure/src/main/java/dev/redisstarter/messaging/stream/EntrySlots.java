package dev.redisstarter.messaging.stream;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.StarterThreads;

/**
 * The handler slots of a {@link StreamConsumer} and the hand-over of entries to its handler threads. The slots bound
 * what the consumer holds at once (being handled or read ahead; the batch form counts lists), together with the
 * entries waiting for a retry or for the circuit, which hold no slot but count against that bound. The reader waits
 * for room ({@link #awaitRoom}); the maintenance and retry thread, which must never wait, reserves slots
 * ({@link #tryReserve}) before it hands entries over. An entry counts as being handled from its hand-over until its
 * handler ends, so that its renewals start at once.
 */
final class EntrySlots {

	private final boolean batch;

	/** Handler slots plus read-ahead: entries in the single form, lists in the batch form. */
	private final ReadAhead readAhead;

	private final StreamMetrics.Meters meters;

	private final StarterThreads threads;

	private final EntryHandling handling;

	/** The consumer's entries being handled, with when they started (nanos), so that long handlers keep their entries. */
	private final Map<String, Long> inFlight;

	/** The entries waiting for a retry or for the circuit. */
	private final Set<String> waiting;

	private final BooleanSupplier running;

	/** Handler slots of the current run (made anew at each start: a stopped run may leave some taken). */
	private volatile Semaphore permits;

	private volatile @Nullable ExecutorService handlers;

	EntrySlots(ConsumerSpec spec, boolean batch, StreamMetrics.Meters meters, StarterThreads threads,
			EntryHandling handling, Map<String, Long> inFlight, Set<String> waiting, BooleanSupplier running) {
		this.batch = batch;
		this.readAhead = ReadAhead.of(batch, spec.settings().readCount(), spec.concurrency());
		this.meters = meters;
		this.threads = threads;
		this.handling = handling;
		this.inFlight = inFlight;
		this.waiting = waiting;
		this.running = running;
		this.permits = new Semaphore(this.readAhead.capacity());
	}

	/** Makes the slots of a new run: a stopped run may leave some taken. */
	void reset() {
		this.permits = new Semaphore(this.readAhead.capacity());
		this.inFlight.clear();
	}

	/**
	 * Sets the handler threads of the run starting now.
	 * @param handlers the run's handler pool
	 */
	void runOn(ExecutorService handlers) {
		this.handlers = handlers;
	}

	/**
	 * The reader's wait for room before a read.
	 * @return how many entries the next read may take, 0 when there is no room yet
	 * @throws InterruptedException when the reader is stopped
	 */
	int awaitRoom() throws InterruptedException {
		// Wait for room (a list's slot, or half the read-ahead), then read no more than there is room for.
		int wanted = this.readAhead.wanted();
		if (!this.permits.tryAcquire(wanted, 200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		this.permits.release(wanted);
		int room = roomForNew();
		if (room <= 0) {
			// Entries waiting for a retry hold the room: wait for them rather than read more.
			Thread.sleep(50);
			return 0;
		}
		return this.readAhead.readSize(room);
	}

	/**
	 * How many more entries (the batch form: lists) may be taken on: the free handler slots, less the entries waiting
	 * for a retry or for the circuit, which hold no slot while they wait but count against the read-ahead bound.
	 * @return the room, 0 or less when there is none
	 */
	int roomForNew() {
		return this.readAhead.room(this.permits.availablePermits(), this.waiting.size());
	}

	/**
	 * Hands entries to the handlers; the caller holds nothing, the permits are taken here (waiting if needed).
	 * @param entries entries read, reclaimed or retried
	 * @throws InterruptedException when interrupted while waiting for a handler slot
	 */
	void dispatch(List<StreamEntry> entries) throws InterruptedException {
		dispatch(entries, false);
	}

	/**
	 * Takes handler slots without waiting, for the maintenance and retry thread (which must never wait: it also
	 * renews what is being handled).
	 * @param wanted how many entries the caller would like to hand over
	 * @return how many it may hand over (0 when there is no room now)
	 */
	int tryReserve(int wanted) {
		Semaphore slots = this.permits;
		if (this.batch) {
			return slots.tryAcquire() ? wanted : 0;
		}
		int room = Math.min(wanted, slots.availablePermits());
		return (room > 0 && slots.tryAcquire(room)) ? room : 0;
	}

	/**
	 * Gives back what a {@link #tryReserve} took and {@link #dispatchReserved} did not use.
	 * @param reserved what was reserved
	 * @param used how many entries were handed over
	 */
	void unreserve(int reserved, int used) {
		if (reserved == 0) {
			return;
		}
		if (this.batch) {
			if (used == 0) {
				this.permits.release();
			}
		}
		else if (reserved > used) {
			this.permits.release(reserved - used);
		}
	}

	/**
	 * Hands over entries for which {@link #tryReserve} took the slots.
	 * @param entries at most as many as were reserved
	 */
	void dispatchReserved(List<StreamEntry> entries) {
		try {
			dispatch(entries, true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void dispatch(List<StreamEntry> entries, boolean reserved) throws InterruptedException {
		ExecutorService pool = this.handlers;
		Semaphore slots = this.permits;
		if (pool == null || entries.isEmpty()) {
			return;
		}
		this.meters.delivered(entries.size());
		// From now on they count as being handled: renewals keep them while they wait for a thread, since Redis
		// counts their idle time from the read.
		long now = System.nanoTime();
		if (this.batch) {
			if (!reserved) {
				slots.acquire();
			}
			entries.forEach((entry) -> this.inFlight.put(entry.id(), now));
			submit(pool, slots, () -> this.handling.handleBatch(entries), entries);
			return;
		}
		for (StreamEntry entry : entries) {
			if (!reserved) {
				slots.acquire();
			}
			this.inFlight.put(entry.id(), now);
			submit(pool, slots, () -> this.handling.handleOne(entry), List.of(entry));
		}
	}

	private void submit(ExecutorService pool, Semaphore slots, Runnable work, List<StreamEntry> entries) {
		try {
			pool.execute(this.threads.decorate(() -> {
				try {
					if (this.running.getAsBoolean()) {
						work.run();
					}
				}
				finally {
					entries.forEach((entry) -> this.inFlight.remove(entry.id()));
					slots.release();
				}
			}));
		}
		catch (RejectedExecutionException ex) {
			// Stopping: the entries stay pending for another consumer.
			entries.forEach((entry) -> this.inFlight.remove(entry.id()));
			slots.release();
		}
	}

}
