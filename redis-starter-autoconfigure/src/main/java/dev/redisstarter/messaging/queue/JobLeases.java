package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.ScriptArgs;

/**
 * The leases of the jobs a {@link JobWorker} holds, and the queue's stalled jobs: renews every held job's lease in
 * a few scripts (one per lease length and 500 jobs, each carrying whether the handler started, so that only a started
 * attempt counts a stall), forgets a job whose lease Redis no longer has, extends a lease when a handler reports
 * progress, and, every stalled interval, returns the jobs whose lease expired (to waiting or to the dead letters),
 * trims the dead letters and refreshes the gauges. Run by the worker's maintenance thread (progress: by the handler).
 */
final class JobLeases {

	/** The worker's category: the split into parts changed no logger name. */
	private static final Log logger = LogFactory.getLog(JobWorker.class);

	private static final byte[] ONE = ScriptArgs.utf8("1");

	private static final byte[] ZERO = ScriptArgs.utf8("0");

	/**
	 * How long the queue's {@code :seen} key outlives the last check: long enough for any sensible
	 * {@code unhandled-after}, so that producers see how long ago the last worker left.
	 */
	private static final byte[] SEEN_TTL = ScriptArgs.utf8(Long.toString(Duration.ofDays(1).toMillis()));

	private final String queue;

	private final QueueSettings settings;

	private final JobWorkers.Shared shared;

	/** The keys every script of this queue declares. */
	private final byte[][] keys;

	private final Map<String, HeldJob> held;

	private final JobOutcomes outcomes;

	private final DeadLetterTrims trims;

	private final QueueMetrics.Meters meters;

	private final BooleanSupplier running;

	/** Where a queue found paused is reported (the worker's state). */
	private final Consumer<WorkerStatus> status;

	/** This worker in the queue's check-ins. */
	private final byte[] workerId;

	/** What this worker says of itself at each check-in. */
	private final Supplier<byte[]> checkIn;

	private final byte[] keepCheckIn;

	JobLeases(String queue, QueueSettings settings, JobWorkers.Shared shared, byte[][] keys, Map<String, HeldJob> held,
			JobOutcomes outcomes, DeadLetterTrims trims, QueueMetrics.Meters meters, BooleanSupplier running,
			Consumer<WorkerStatus> status, String workerId, Supplier<byte[]> checkIn, long keepCheckInMillis) {
		this.workerId = ScriptArgs.utf8(workerId);
		this.checkIn = checkIn;
		this.keepCheckIn = ScriptArgs.utf8(Long.toString(keepCheckInMillis));
		this.queue = queue;
		this.settings = settings;
		this.shared = shared;
		this.keys = keys;
		this.held = held;
		this.outcomes = outcomes;
		this.trims = trims;
		this.meters = meters;
		this.running = running;
		this.status = status;
	}

	/**
	 * Records a handler's progress and, when it asks for a longer lease, keeps that lease for the rest of the attempt.
	 * @param job the job
	 * @param progress what to record, or {@code null} to only extend the lease
	 * @param lease the lease the handler asks for, or {@code null}
	 * @return whether Redis recorded it (false when the job is no longer this attempt's)
	 */
	boolean progress(TakenJob job, @Nullable Object progress, @Nullable Duration lease) {
		long leaseMillis = this.settings.lease().toMillis();
		if (lease != null) {
			leaseMillis = Math.max(leaseMillis, lease.toMillis());
			HeldJob current = this.held.get(job.id());
			if (current != null && current.owner().equals(job.owner())) {
				this.held.put(job.id(), current.withLease(leaseMillis));
			}
		}
		Long recorded = this.shared.calls()
			.script(this.shared.scripts().progress(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, ScriptArgs.utf8(job.id()), ScriptArgs.utf8(job.owner()),
							(progress != null) ? this.shared.codec().encode(progress) : ScriptArgs.utf8(""),
							ScriptArgs.utf8(Long.toString(leaseMillis))));
		return recorded != null && recorded == 1;
	}

	/** Renews the lease of every held job; run by the worker's lease keeper every third of the lease. */
	void renew() {
		if (this.held.isEmpty()) {
			return;
		}
		Map<Long, List<Map.Entry<String, HeldJob>>> byLease = new HashMap<>();
		this.held.entrySet().forEach((entry) -> byLease.computeIfAbsent(entry.getValue().leaseMillis(), (k) -> new ArrayList<>())
			.add(Map.entry(entry.getKey(), entry.getValue())));
		byLease.forEach((lease, entries) -> {
			for (int from = 0; from < entries.size(); from += 500) {
				List<Map.Entry<String, HeldJob>> chunk = entries.subList(from, Math.min(entries.size(), from + 500));
				byte[][] args = new byte[1 + chunk.size() * 3][];
				args[0] = ScriptArgs.utf8(Long.toString(lease));
				int i = 1;
				for (Map.Entry<String, HeldJob> entry : chunk) {
					args[i++] = ScriptArgs.utf8(entry.getKey());
					args[i++] = ScriptArgs.utf8(entry.getValue().owner());
					args[i++] = entry.getValue().started() ? ONE : ZERO;
				}
				try {
					List<?> lost = this.shared.calls()
						.script(this.shared.scripts().renew(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
								QueueKeys.keysAndArgs(this.keys, args));
					for (Object id : lost) {
						String lostId = JobRecords.text(id);
						HeldJob gone = this.held.get(lostId);
						if (gone != null && !this.outcomes.isFinishing(lostId, gone.owner())
								&& chunk.stream().anyMatch((e) -> e.getKey().equals(lostId) && e.getValue() == gone)) {
							this.held.remove(lostId, gone);
							logger.warn("Job " + lostId + " of queue '" + this.queue + "' lost its lease (it expired"
									+ " while Redis or this worker was stalled); another worker may run it again");
						}
					}
				}
				catch (RuntimeException ex) {
					logger.debug("Renewing leases of queue '" + this.queue + "' failed; trying again: " + ex);
				}
			}
		});
	}

	/** Removes this worker's check-in, at its stop; a Redis that does not answer lets the check-in end by itself. */
	void leave() {
		try {
			this.shared.calls()
				.script(this.shared.scripts().leave(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
						QueueKeys.keysAndArgs(this.keys, this.workerId));
		}
		catch (RuntimeException ex) {
			logger.debug("Removing the check-in of a worker of queue '" + this.queue + "' failed; it ends by itself: "
					+ ex);
		}
	}

	/** Returns the jobs whose lease expired, trims the dead letters, checks in and refreshes the gauges. */
	void checkStalled() {
		try {
			List<?> moved = this.shared.calls()
				.script(this.shared.scripts().stalled(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
						QueueKeys.keysAndArgs(this.keys, ScriptArgs.utf8(Integer.toString(this.settings.maxStalled())),
								ScriptArgs.utf8(Long.toString(this.settings.deadMaxCount())),
								ScriptArgs.utf8(Long.toString(this.settings.deadMaxAge().toMillis())),
								ScriptArgs.utf8("1000"), SEEN_TTL, this.workerId, this.checkIn.get(), this.keepCheckIn));
			StalledReply stalled = StalledReply.of(moved);
			long back = stalled.back();
			long dead = stalled.dead();
			long unstarted = stalled.unstarted();
			this.trims.trimmed(stalled.trimmed());
			this.trims.logIfDue();
			if (back + dead > 0) {
				this.meters.stalled(back + dead);
				this.meters.deadLettered(dead);
				logger.warn("Queue '" + this.queue + "': " + (back + dead) + " running jobs stalled (their lease expired); "
						+ back + " went back to waiting, " + dead + " to the dead letters");
			}
			if (unstarted > 0) {
				this.meters.reclaimed(unstarted);
				logger.info("Queue '" + this.queue + "': " + unstarted + " jobs whose lease expired before their start was"
						+ " recorded (taken ahead, or finished with the outcome lost) went back to waiting (no stall counted)");
			}
			List<?> counts = this.shared.calls()
				.script(this.shared.scripts().counts(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS, this.keys);
			QueueCounts queueCounts = QueueCounts.of(this.queue, counts);
			this.meters.counts(queueCounts);
			if (queueCounts.pausedForMillis() > 0 && this.running.getAsBoolean()) {
				this.status.accept(WorkerStatus.PAUSED);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Checking stalled jobs of queue '" + this.queue + "' failed: " + ex);
		}
	}

}
