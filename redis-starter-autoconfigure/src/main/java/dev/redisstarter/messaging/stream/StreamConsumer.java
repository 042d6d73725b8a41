package dev.redisstarter.messaging.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.DedicatedConnection;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.ReconnectPause;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisFailure;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.messaging.ConsumerLoop;
import dev.redisstarter.messaging.HandlerCircuit;
import dev.redisstarter.messaging.HandlerPool;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Runs one {@link StreamListener} method: a reader thread with a connection of its own (group reads block),
 * {@code concurrency} handler threads, and a maintenance thread ({@link StreamMaintenance}: reclaim, renewal,
 * metrics, removal of idle consumers). At most {@code 2 × max(read-count, concurrency)} entries (the batch form:
 * {@code concurrency + 1} lists) are held at once: being handled, read ahead, or waiting for a retry or for the circuit;
 * the reader and the reclaim take no more while that many are held.
 * When Redis is away the reader waits and reconnects; nothing is acknowledged that was not handled.
 *
 * <p>A {@link HandlerCircuit} pauses the consumer when the method keeps failing (a downstream is down): while it is
 * open the reader reads nothing, entries already read wait (renewed, like those waiting for a retry), failures are
 * retried after the circuit's pause whatever their delivery count, and nothing is dead-lettered; after the pause one
 * entry probes.
 *
 * <p>This class starts and stops the run and runs the reader; the other parts each do one thing:
 * {@link GroupJoin} (the group on each read connection), {@link EntrySlots} (handler slots, read-ahead and the
 * hand-over to the handler threads), {@link EntryHandling} (the listener method and what follows it) and
 * {@link EntryRetries} (entries waiting for a retry or for the circuit).
 */
final class StreamConsumer implements EntryRetries.Handoff {

	private static final Log logger = LogFactory.getLog(StreamConsumer.class);

	/** How the reader's refusals are named (the group read, or the group's creation before it). */
	private static final String READ_COMMAND = "xreadgroup";

	private final ConsumerSpec spec;

	private final StarterThreads threads;

	private final RedisAccess access;

	private final EntryOutcomes outcomes;

	private final StreamMaintenance maintenance;

	private final HandlerCircuit circuit;

	/** Entries being handled, with when they started (nanos), so that long handlers keep their entries. */
	private final Map<String, Long> inFlight = new ConcurrentHashMap<>();

	private final EntryRetries retries;

	private final EntrySlots slots;

	private final EntryHandling handling;

	private final GroupJoin group;

	private final AtomicInteger readers = new AtomicInteger();

	private @Nullable ExecutorService handlers;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable Thread reader;

	/** The reader's wait after Redis failed a read. */
	private final ReconnectPause readPause;

	/** The reader's own connection: group reads block. */
	private final DedicatedConnection readConnection;

	private volatile boolean running;

	StreamConsumer(ConsumerSpec spec, RedisAccess access, RedisCalls calls, StreamScripts scripts,
			ListenerMethod method, JsonMapper mapper, StreamMetrics.Meters meters, StarterThreads threads,
			MessagingObservations observations) {
		this.spec = spec;
		this.threads = threads;
		this.access = access;
		this.outcomes = new EntryOutcomes(spec, calls, scripts, meters);
		this.maintenance = new StreamMaintenance(spec, calls, scripts, meters, this);
		this.readConnection = new DedicatedConnection(access, "to read stream '" + spec.stream() + "'");
		this.readPause = new ReconnectPause(access.circuit(), java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5));
		this.circuit = new HandlerCircuit("Stream listener " + spec.listener() + " on '" + spec.stream() + "' (group "
				+ spec.group() + ")", spec.settings().circuit());
		meters.circuit(this.circuit);
		// The retries hand entries back through this consumer: the slots they go to count the retries' waiting entries.
		this.retries = new EntryRetries(method.batch(), this.circuit, this.outcomes, this, this::isRunning);
		this.handling = new EntryHandling(spec, method, mapper, meters, this.circuit, this.outcomes, this.retries,
				this.inFlight, this::isRunning, observations);
		this.slots = new EntrySlots(spec, method.batch(), meters, threads, this.handling, this.inFlight,
				this.retries.waiting(), this::isRunning);
		this.group = new GroupJoin(spec, access, this.maintenance);
	}

	ConsumerSpec spec() {
		return this.spec;
	}

	boolean isRunning() {
		return this.running;
	}

	boolean isReading() {
		return this.readers.get() > 0 && this.readConnection.isOpen() && this.group.isReady();
	}

	Map<String, Long> inFlight() {
		return this.inFlight;
	}

	HandlerCircuit circuit() {
		return this.circuit;
	}

	synchronized void start() {
		if (this.running) {
			return;
		}
		this.slots.reset();
		this.running = true;
		this.group.reset();
		this.handlers = this.threads.handlerPool("stream", this.spec.listener(), this.spec.concurrency());
		this.slots.runOn(this.handlers);
		this.scheduler = StarterThreads.backgroundScheduler("stream-" + this.spec.listener() + "-maintenance");
		this.retries.runOn(this.scheduler);
		long interval = this.spec.settings().claimInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this.maintenance::run, interval, interval, TimeUnit.MILLISECONDS);
		LeaseKeeper.on(this.scheduler).keep("entries being handled by stream listener " + this.spec.listener(),
				this.spec.settings().claimInterval(), () -> {
					this.maintenance.renewInFlight();
					return true;
				});
		Thread thread = StarterThreads.background("stream-" + this.spec.listener() + "-reader", this::readLoop);
		this.reader = thread;
		thread.start();
	}

	/**
	 * Stops reading, lets the entries being handled finish within the shutdown wait, and leaves everything else
	 * pending (read but not started, waiting for a retry, or still running at the end): another consumer takes
	 * them after the claim idle time.
	 */
	void stop() {
		Thread stoppedReader;
		ExecutorService stoppedHandlers;
		ScheduledExecutorService stoppedScheduler;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			stoppedReader = this.reader;
			stoppedHandlers = this.handlers;
			stoppedScheduler = this.scheduler;
		}
		this.retries.cancelAll();
		closeReadConnection();
		if (stoppedReader != null) {
			stoppedReader.interrupt();
		}
		if (stoppedScheduler != null) {
			stoppedScheduler.shutdownNow();
		}
		if (stoppedHandlers != null && !HandlerPool.finish(stoppedHandlers, this.spec.shutdownWait())) {
			logger.warn("Stream listener " + this.spec.listener() + " stopped with " + this.inFlight.size()
					+ " entries still being handled; they stay pending for another consumer");
		}
		// Tasks dropped by shutdownNow never ran their clean-up: what they held stays pending in Redis, and this
		// run's bookkeeping goes (the next start makes its own).
		this.inFlight.clear();
		this.retries.clear();
		this.outcomes.forgetUnacknowledged();
	}

	private void readLoop() {
		this.readers.incrementAndGet();
		try {
			new ConsumerLoop(() -> this.running, this::readOnce, this::readFailed, this.readPause).run();
		}
		finally {
			this.readers.decrementAndGet();
		}
	}

	/** One read: whatever there is room for, or one entry as the probe of an open circuit. */
	private boolean readOnce() throws InterruptedException {
		RedisStreamAsyncCommands<byte[], byte[]> redis = readCommands();
		this.group.ensure(redis);
		if (!this.circuit.allowsFetching()) {
			// The method keeps failing: read nothing until a probe may start.
			sleep(Math.max(10, Math.min(this.circuit.millisUntilProbe(), 200)));
			return false;
		}
		int free = this.slots.awaitRoom();
		if (free == 0) {
			return false;
		}
		boolean probe = this.circuit.state() != HandlerCircuit.State.CLOSED;
		List<StreamMessage<byte[], byte[]>> entries = read(redis, probe ? 1 : Math.min(free, this.spec.settings().readCount()));
		this.access.permissions().succeededOwnConnection(Feature.STREAM, READ_COMMAND);
		dispatchRead(entries);
		if (probe && !entries.isEmpty()) {
			awaitProbeStarted();
		}
		return true;
	}

	private void readFailed(RuntimeException ex, long pauseMillis) {
		RedisFailure failure = RedisFailure.of(ex);
		if (failure.kind() == RedisFailure.Kind.PERMISSION) {
			// Not an outage, and not silent: logged once and shown in health until a read works again.
			this.access.permissions().refusedOwnConnection(Feature.STREAM, READ_COMMAND, failure, ex);
			this.group.recheck();
		}
		else if (String.valueOf(ex.getMessage()).contains("NOGROUP")) {
			// The stream or the group was deleted: create it again.
			this.group.recheck();
		}
		else {
			// Dropped, not closed: an attempt to open the next one that is under way may still serve.
			this.group.recheck();
			this.readConnection.drop();
		}
		// The pause ends early when Redis answers again, so that reading (and health) resumes with the endpoints.
		logger.debug("Reading stream '" + this.spec.stream() + "' failed, retrying in at most " + pauseMillis + " ms: " + ex);
	}

	/** After reading one entry for a probe: no more until it (or a waiting entry) started probing. */
	private void awaitProbeStarted() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
		while (this.running && this.circuit.state() == HandlerCircuit.State.OPEN && this.circuit.allowsFetching()
				&& System.nanoTime() - deadline < 0) {
			Thread.sleep(5);
		}
	}

	private List<StreamMessage<byte[], byte[]>> read(RedisStreamAsyncCommands<byte[], byte[]> redis, int count)
			throws InterruptedException {
		XReadArgs args = XReadArgs.Builder.block(this.spec.settings().readBlock().toMillis()).count(count);
		if (this.spec.atMostOnce()) {
			args.noack(true);
		}
		long wait = this.spec.settings().readBlock().toMillis() + this.access.settings().livenessTimeout().toMillis()
				+ 1000;
		try {
			List<StreamMessage<byte[], byte[]>> entries = redis
				.xreadgroup(Consumer.from(utf8(this.spec.group()), utf8(this.spec.consumer())), args,
						XReadArgs.StreamOffset.lastConsumed(utf8(this.spec.key())))
				.get(wait, TimeUnit.MILLISECONDS);
			return (entries != null) ? entries : List.of();
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex.getCause());
		}
		catch (java.util.concurrent.TimeoutException ex) {
			// A read that outlives its BLOCK by the liveness timeout: the connection is silent (frozen, dropped).
			throw new IllegalStateException("No answer to a group read within " + wait + " ms", ex);
		}
	}

	private void dispatchRead(List<StreamMessage<byte[], byte[]>> messages) throws InterruptedException {
		if (messages.isEmpty()) {
			return;
		}
		List<StreamEntry> entries = new ArrayList<>(messages.size());
		for (StreamMessage<byte[], byte[]> message : messages) {
			entries.add(StreamEntry.of(message.getId(), message.getBody(), 1));
		}
		this.group.advance(entries.get(entries.size() - 1).id());
		this.slots.dispatch(entries);
	}

	/**
	 * How many more entries (the batch form: lists) may be taken on.
	 * @return the room, 0 or less when there is none
	 * @see EntrySlots#roomForNew
	 */
	int roomForNew() {
		return this.slots.roomForNew();
	}

	/**
	 * Hands entries to the handlers; the caller holds nothing, the permits are taken here (waiting if needed).
	 * @param entries entries read, reclaimed or retried
	 * @throws InterruptedException when interrupted while waiting for a handler slot
	 */
	void dispatch(List<StreamEntry> entries) throws InterruptedException {
		this.slots.dispatch(entries);
	}

	@Override
	public int tryReserve(int wanted) {
		return this.slots.tryReserve(wanted);
	}

	@Override
	public void unreserve(int reserved, int used) {
		this.slots.unreserve(reserved, used);
	}

	@Override
	public void dispatchReserved(List<StreamEntry> entries) {
		this.slots.dispatchReserved(entries);
	}

	/**
	 * Whether an entry is this consumer's already: being handled, read ahead, or waiting for its retry.
	 * @param id the entry
	 * @return true when it must not be handed over again
	 */
	boolean holds(String id) {
		return this.inFlight.containsKey(id) || this.retries.waiting().contains(id)
				|| this.outcomes.awaitsAcknowledgement(id);
	}

	EntryOutcomes outcomes() {
		return this.outcomes;
	}

	/**
	 * The entries waiting for a retry: still this consumer's, renewed like those being handled.
	 * @return their ids
	 */
	Set<String> waitingForRetry() {
		return this.retries.waiting();
	}

	boolean allowsGivingUp() {
		return this.circuit.allowsGivingUp();
	}

	/**
	 * Moves an entry to the dead letters; if that fails (Redis away), the entry stays pending and comes back.
	 * @param entry the entry
	 * @param error what went wrong
	 * @param reason why it is given up
	 */
	void giveUp(StreamEntry entry, Throwable error, String reason) {
		this.handling.giveUp(entry, error, reason);
	}

	private RedisStreamAsyncCommands<byte[], byte[]> readCommands() {
		if (!this.readConnection.isOpen()) {
			// A new connection: the group is checked again on it.
			this.group.recheck();
		}
		RedisStreamAsyncCommands<byte[], byte[]> commands = this.readConnection.commands();
		if (!this.running) {
			closeReadConnection();
			throw new IllegalStateException("stopped");
		}
		return commands;
	}

	private void closeReadConnection() {
		this.group.recheck();
		this.readConnection.close();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
