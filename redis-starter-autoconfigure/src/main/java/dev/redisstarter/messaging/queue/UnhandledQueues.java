package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import dev.redisstarter.core.Durations;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.StarterThreads;

/**
 * The queues this instance enqueued to that hold jobs no worker takes: a misspelled queue name, or a queue whose
 * workers are all gone. Every worker writes {@code <prefix>queue:{<queue>}:seen} (the server's time, at each stalled
 * check); every quarter of {@code unhandled-after} this instance runs {@code unhandled.lua} (one {@code ZCARD}, one
 * {@code ZCOUNT}, one {@code GET}) for each queue it enqueued to. A queue is unhandled when it has jobs due and no
 * worker checked it within {@code unhandled-after}, or, when no worker ever did, once this instance has seen it so
 * for {@code unhandled-after}: it is reported within about {@code unhandled-after} and a quarter of it. Each such
 * queue is logged once at WARN (again only after it was handled in between), shown by the {@code jobqueues}
 * endpoint and health details, and counted by the gauge {@code redis.starter.queue.unhandled} (its jobs due; 0 when
 * handled). At most {@value #MAX_QUEUES} queue names are watched.
 */
public final class UnhandledQueues implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(UnhandledQueues.class);

	static final int MAX_QUEUES = 1000;

	private final RedisCalls calls;

	private final QueueKeys keys;

	private final QueueScripts scripts;

	private final QueueMetrics metrics;

	private final Duration after;

	private final Map<String, Watch> watched = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledExecutorService checks;

	/**
	 * Watches queues.
	 * @param calls the starter's calls with the queue deadline
	 * @param keys the queue keys
	 * @param metrics the meters
	 * @param after how long a queue holding jobs may go without a worker before it is reported
	 */
	public UnhandledQueues(RedisCalls calls, QueueKeys keys, QueueMetrics metrics, Duration after) {
		this.calls = calls;
		this.keys = keys;
		this.scripts = QueueScripts.load();
		this.metrics = metrics;
		this.after = Durations.requirePositive("redis.starter.queue.unhandled-after", after);
	}

	/**
	 * Notes that this instance enqueued to a queue, so that it is watched.
	 * @param queue the queue's name
	 */
	void enqueued(String queue) {
		if (this.watched.size() < MAX_QUEUES) {
			this.watched.computeIfAbsent(queue, (name) -> new Watch(this.metrics.of(name)));
		}
	}

	/**
	 * The queues this instance enqueued to (and still watches).
	 * @return their names, sorted
	 */
	public Set<String> queues() {
		return new TreeSet<>(this.watched.keySet());
	}

	/**
	 * The queues found unhandled at the last check.
	 * @return each one's jobs due, by name
	 */
	public Map<String, Long> unhandled() {
		Map<String, Long> unhandled = new TreeMap<>();
		this.watched.forEach((queue, watch) -> {
			if (watch.reported) {
				unhandled.put(queue, watch.jobs);
			}
		});
		return unhandled;
	}

	/** Checks every watched queue once; run by the lifecycle's scheduler. */
	void check() {
		for (Map.Entry<String, Watch> entry : this.watched.entrySet()) {
			try {
				check(entry.getKey(), entry.getValue());
			}
			catch (RuntimeException ex) {
				// Redis away: the next round asks again (asking the other queues now would wait as long again).
				logger.debug("Checking whether queue '" + entry.getKey() + "' has workers failed: " + ex);
				return;
			}
		}
	}

	private void check(String queue, Watch watch) {
		java.util.List<?> reply = this.calls.script(this.scripts.unhandled(), ScriptOutputType.MULTI,
				QueueKeys.SCRIPT_KEYS, this.keys.scriptKeys(queue));
		long due = ((Number) reply.get(0)).longValue();
		long seenAgo = ((Number) reply.get(1)).longValue();
		long afterMillis = this.after.toMillis();
		long now = System.nanoTime();
		if (due == 0 || (seenAgo >= 0 && seenAgo <= afterMillis)) {
			watch.since = -1;
			watch.reported = false;
			watch.jobs = 0;
			watch.meters.unhandled(0);
			return;
		}
		if (watch.since < 0) {
			watch.since = now;
		}
		boolean unhandled = seenAgo > afterMillis || now - watch.since >= this.after.toNanos();
		if (!unhandled) {
			return;
		}
		watch.jobs = due;
		watch.meters.unhandled(due);
		if (!watch.reported) {
			watch.reported = true;
			logger.warn("Queue '" + queue + "' holds " + due + " jobs due and no worker has served it for "
					+ ((seenAgo >= 0) ? seenAgo + " ms" : "at least " + afterMillis + " ms")
					+ ": is the queue name right, and does a @JobHandler on a running instance serve it?");
		}
	}

	@Override
	public void start() {
		if (this.checks != null) {
			return;
		}
		ScheduledExecutorService scheduler = StarterThreads.backgroundScheduler("queue-unhandled-checks");
		long every = Math.max(50, Math.min(15_000, this.after.toMillis() / 4));
		scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
		this.checks = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.checks;
		this.checks = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.checks != null;
	}

	/** What the checks found for one queue; written by the checks' thread only. */
	private static final class Watch {

		final QueueMetrics.Meters meters;

		/** When the checks first found jobs due and no recent worker (System.nanoTime), or -1. */
		volatile long since = -1;

		volatile boolean reported;

		volatile long jobs;

		Watch(QueueMetrics.Meters meters) {
			this.meters = meters;
		}

	}

}
