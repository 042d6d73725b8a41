package dev.redisstarter.messaging.stream;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.messaging.HandlerCircuit;

/**
 * The entries of a {@link StreamConsumer} that wait on its maintenance thread rather than on a handler: failed ones
 * until their retry is due, and those that reached a handler while the {@link HandlerCircuit} was open until a probe
 * may start. They hold no handler slot while they wait (the thread also renews what is being handled and must never
 * block), but stay this consumer's: counted against the read-ahead bound and renewed like those being handled. When
 * their time comes they are handed over again through the {@link Handoff}, which takes the slots without waiting.
 */
final class EntryRetries {

	/** The consumer's category: the split into parts changed no logger name. */
	private static final Log logger = LogFactory.getLog(StreamConsumer.class);

	/** How waiting entries go back to the handlers: slots taken without waiting, then the entries handed over. */
	interface Handoff {

		/**
		 * Takes handler slots without waiting.
		 * @param wanted how many entries the caller would like to hand over
		 * @return how many it may hand over (0 when there is no room now)
		 */
		int tryReserve(int wanted);

		/**
		 * Gives back what {@link #tryReserve} took and {@link #dispatchReserved} did not use.
		 * @param reserved what was reserved
		 * @param used how many entries were handed over
		 */
		void unreserve(int reserved, int used);

		/**
		 * Hands over entries for which {@link #tryReserve} took the slots.
		 * @param entries at most as many as were reserved
		 */
		void dispatchReserved(List<StreamEntry> entries);

	}

	/** Whether the listener takes lists: one slot holds a whole list then. */
	private final boolean batch;

	private final HandlerCircuit circuit;

	private final EntryOutcomes outcomes;

	private final Handoff handoff;

	private final BooleanSupplier running;

	private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();

	/** The current run's maintenance thread, which runs the retries. */
	private volatile @Nullable ScheduledExecutorService scheduler;

	EntryRetries(boolean batch, HandlerCircuit circuit, EntryOutcomes outcomes, Handoff handoff, BooleanSupplier running) {
		this.batch = batch;
		this.circuit = circuit;
		this.outcomes = outcomes;
		this.handoff = handoff;
		this.running = running;
	}

	/**
	 * Sets the thread that runs the retries of the run starting now.
	 * @param scheduler the run's maintenance thread
	 */
	void runOn(ScheduledExecutorService scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * The entries waiting for a retry or for the circuit: still the consumer's, renewed like those being handled.
	 * @return their ids (a live view)
	 */
	Set<String> waiting() {
		return this.retries.keySet();
	}

	/** Cancels every retry still to come (stopping: the entries stay pending for another consumer). */
	void cancelAll() {
		this.retries.values().forEach((retry) -> retry.cancel(false));
		this.retries.clear();
	}

	/** Forgets the waiting entries (stopped: the next start makes its own bookkeeping). */
	void clear() {
		this.retries.clear();
	}

	/**
	 * Hands an entry over again after a delay.
	 * @param id the entry
	 * @param delay how long it waits
	 * @param countDelivery whether taking it back counts as a delivery
	 */
	void schedule(String id, java.time.Duration delay, boolean countDelivery) {
		ScheduledExecutorService timer = this.scheduler;
		if (timer == null || !this.running.getAsBoolean()) {
			return;
		}
		try {
			ScheduledFuture<?> previous = this.retries.put(id,
					timer.schedule(() -> retry(id, countDelivery), delay.toMillis(), TimeUnit.MILLISECONDS));
			if (previous != null) {
				previous.cancel(false);
			}
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// Stopping: the entry stays pending for another consumer.
		}
	}

	/**
	 * Entries that reached a handler while the circuit is open: not handled, they wait (held like those waiting for a
	 * retry, so they are renewed) and are handed over again when a probe may start, without a new delivery.
	 * @param entries one entry, or one list of the batch form
	 */
	void waitForCircuit(List<StreamEntry> entries) {
		ScheduledExecutorService timer = this.scheduler;
		if (timer == null || !this.running.getAsBoolean()) {
			return;
		}
		long wait = Math.max(50, this.circuit.millisUntilProbe());
		try {
			ScheduledFuture<?> future = timer.schedule(() -> resumeWaiting(entries), wait, TimeUnit.MILLISECONDS);
			entries.forEach((entry) -> this.retries.put(entry.id(), future));
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// Stopping: the entries stay pending for another consumer.
		}
	}

	private void resumeWaiting(List<StreamEntry> entries) {
		if (!this.running.getAsBoolean()) {
			return;
		}
		int reserved = this.handoff.tryReserve(entries.size());
		if (reserved < (this.batch ? 1 : entries.size())) {
			this.handoff.unreserve(reserved, 0);
			waitForCircuit(entries);
			return;
		}
		entries.forEach((entry) -> this.retries.remove(entry.id()));
		this.handoff.dispatchReserved(entries);
	}

	private void retry(String id, boolean countDelivery) {
		if (!this.running.getAsBoolean()) {
			return;
		}
		int reserved = this.handoff.tryReserve(1);
		if (reserved == 0) {
			// Every handler is busy: wait without holding the thread (it also renews what is being handled).
			schedule(id, java.time.Duration.ofMillis(100), countDelivery);
			return;
		}
		this.retries.remove(id);
		StreamEntry entry;
		try {
			entry = this.outcomes.retry(id, countDelivery);
		}
		catch (RuntimeException ex) {
			this.handoff.unreserve(reserved, 0);
			logger.debug("Taking entry " + id + " back for a retry failed, trying again: " + ex);
			schedule(id, java.time.Duration.ofSeconds(1), countDelivery);
			return;
		}
		if (entry == null) {
			this.handoff.unreserve(reserved, 0);
			return;
		}
		this.handoff.dispatchReserved(List.of(entry));
	}

}
