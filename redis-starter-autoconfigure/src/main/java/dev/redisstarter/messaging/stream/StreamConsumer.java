package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.stream.RecordId;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

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
 */
final class StreamConsumer {

	private static final Log logger = LogFactory.getLog(StreamConsumer.class);

	private final ConsumerSpec spec;

	private final StarterThreads threads;

	/** How much later than the other waiting entries an entry that failed while the circuit was open is tried. */
	private static final long PROBE_YIELD_MILLIS = 100;

	/** How the reader's refusals are named (the group read, or the group's creation before it). */
	private static final String READ_COMMAND = "xreadgroup";

	private final RedisAccess access;

	private final ListenerMethod method;

	private final JsonMapper mapper;

	private final JavaType payloadType;

	private final StreamMetrics.Meters meters;

	private final EntryOutcomes outcomes;

	private final StreamMaintenance maintenance;

	private final HandlerCircuit circuit;

	/** Handler slots of the current run (made anew at each start: a stopped run may leave some taken). */
	private volatile Semaphore permits;

	private final int capacity;

	/** Entries being handled, with when they started (nanos), so that long handlers keep their entries. */
	private final Map<String, Long> inFlight = new ConcurrentHashMap<>();

	private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();

	private final AtomicInteger readers = new AtomicInteger();

	private @Nullable ExecutorService handlers;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable Thread reader;

	/** The reader's wait after Redis failed a read. */
	private final ReconnectPause readPause;

	/** The reader's own connection: group reads block. */
	private final DedicatedConnection readConnection;

	private volatile boolean running;

	private volatile boolean groupReady;

	/**
	 * Whether this run joined its durable-topic group yet: only the first join takes over what a previous run left
	 * pending; a later one follows a lost connection, while this run's own entries may still be handled.
	 */
	private volatile boolean joinedSinceStart;

	/**
	 * Where this run stands in the stream (durable topic): the last entry id it read, else its group's last-delivered
	 * id at the first join. A group this run had joined that is gone (Redis lost its data) is created again here.
	 */
	private volatile @Nullable String standsAt;

	StreamConsumer(ConsumerSpec spec, RedisAccess access, RedisCalls calls, StreamScripts scripts,
			ListenerMethod method, JsonMapper mapper, StreamMetrics.Meters meters, StarterThreads threads) {
		this.spec = spec;
		this.threads = threads;
		this.access = access;
		this.method = method;
		this.mapper = mapper;
		this.payloadType = mapper.getTypeFactory().constructType(method.payloadType());
		this.meters = meters;
		this.outcomes = new EntryOutcomes(spec, calls, scripts, meters);
		this.maintenance = new StreamMaintenance(spec, calls, scripts, meters, this);
		this.readConnection = new DedicatedConnection(access, "to read stream '" + spec.stream() + "'");
		this.readPause = new ReconnectPause(access.circuit(), java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5));
		this.circuit = new HandlerCircuit("Stream listener " + spec.listener() + " on '" + spec.stream() + "' (group "
				+ spec.group() + ")", spec.settings().circuit());
		meters.circuit(this.circuit);
		// Read-ahead, so that reads are full (COUNT read-count) and overlap the handling of what came before:
		// the batch form counts lists (one per handler and one more), the single form entries (twice a read).
		this.capacity = method.batch() ? spec.concurrency() + 1
				: 2 * Math.max(spec.settings().readCount(), spec.concurrency());
		this.permits = new Semaphore(this.capacity);
	}

	ConsumerSpec spec() {
		return this.spec;
	}

	boolean isRunning() {
		return this.running;
	}

	boolean isReading() {
		return this.readers.get() > 0 && this.readConnection.isOpen() && this.groupReady;
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
		this.permits = new Semaphore(this.capacity);
		this.inFlight.clear();
		this.running = true;
		this.joinedSinceStart = false;
		this.standsAt = null;
		this.handlers = this.threads.handlerPool("stream", this.spec.listener(), this.spec.concurrency());
		this.scheduler = StarterThreads.backgroundScheduler("stream-" + this.spec.listener() + "-maintenance");
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
		this.retries.values().forEach((retry) -> retry.cancel(false));
		this.retries.clear();
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
		ensureGroup(redis);
		if (!this.circuit.allowsFetching()) {
			// The method keeps failing: read nothing until a probe may start.
			sleep(Math.max(10, Math.min(this.circuit.millisUntilProbe(), 200)));
			return false;
		}
		int free = awaitPermits();
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
			this.groupReady = false;
		}
		else if (String.valueOf(ex.getMessage()).contains("NOGROUP")) {
			// The stream or the group was deleted: create it again.
			this.groupReady = false;
		}
		else {
			closeReadConnection();
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

	private int awaitPermits() throws InterruptedException {
		// Wait for room (a list's slot, or half the read-ahead), then read no more than there is room for.
		int wanted = this.method.batch() ? 1 : Math.max(1, this.capacity / 2);
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
		return this.method.batch() ? this.spec.settings().readCount() : room;
	}

	/**
	 * How many more entries (the batch form: lists) may be taken on: the free handler slots, less the entries waiting
	 * for a retry or for the circuit, which hold no slot while they wait but count against the read-ahead bound.
	 * @return the room, 0 or less when there is none
	 */
	int roomForNew() {
		int waiting = this.retries.size();
		if (this.method.batch()) {
			int readCount = this.spec.settings().readCount();
			return this.permits.availablePermits() - (waiting + readCount - 1) / readCount;
		}
		return this.permits.availablePermits() - waiting;
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
		advance(entries.get(entries.size() - 1).id());
		dispatch(entries);
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
		if (this.method.batch()) {
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
		if (this.method.batch()) {
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
		if (this.method.batch()) {
			if (!reserved) {
				slots.acquire();
			}
			entries.forEach((entry) -> this.inFlight.put(entry.id(), now));
			submit(pool, slots, () -> handleBatch(entries), entries);
			return;
		}
		for (StreamEntry entry : entries) {
			if (!reserved) {
				slots.acquire();
			}
			this.inFlight.put(entry.id(), now);
			submit(pool, slots, () -> handleOne(entry), List.of(entry));
		}
	}

	private void submit(ExecutorService pool, Semaphore slots, Runnable work, List<StreamEntry> entries) {
		try {
			pool.execute(this.threads.decorate(() -> {
				try {
					if (this.running) {
						work.run();
					}
				}
				finally {
					entries.forEach((entry) -> this.inFlight.remove(entry.id()));
					slots.release();
				}
			}));
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// Stopping: the entries stay pending for another consumer.
			entries.forEach((entry) -> this.inFlight.remove(entry.id()));
			slots.release();
		}
	}

	/**
	 * Whether an entry is this consumer's already: being handled, read ahead, or waiting for its retry.
	 * @param id the entry
	 * @return true when it must not be handed over again
	 */
	boolean holds(String id) {
		return this.inFlight.containsKey(id) || this.retries.containsKey(id) || this.outcomes.awaitsAcknowledgement(id);
	}

	EntryOutcomes outcomes() {
		return this.outcomes;
	}

	/**
	 * The entries waiting for a retry: still this consumer's, renewed like those being handled.
	 * @return their ids
	 */
	java.util.Set<String> waitingForRetry() {
		return this.retries.keySet();
	}

	private void handleOne(StreamEntry entry) {
		long start = System.nanoTime();
		this.inFlight.putIfAbsent(entry.id(), start);
		try {
			if (forAnotherGroup(entry)) {
				skipReplay(List.of(entry.id()));
				return;
			}
			Object payload;
			try {
				payload = decode(entry);
			}
			catch (RuntimeException ex) {
				this.meters.failed(1);
				giveUp(entry, ex, "the payload could not be read as " + this.payloadType);
				return;
			}
			if (!this.circuit.tryStart()) {
				waitForCircuit(List.of(entry));
				return;
			}
			try {
				this.method.invoke(payload, delivery(entry));
			}
			catch (Exception | Error ex) {
				if (this.running) {
					// Not a failure of the handler when the shutdown interrupted it.
					this.circuit.failed(entry.id(), ex);
				}
				failed(entry, ex);
				return;
			}
			this.circuit.succeeded();
			if (!this.spec.atMostOnce()) {
				this.outcomes.acknowledge(List.of(entry.id()));
			}
		}
		finally {
			this.inFlight.remove(entry.id());
			this.meters.handled(System.nanoTime() - start);
		}
	}

	private void handleBatch(List<StreamEntry> entries) {
		long start = System.nanoTime();
		List<StreamEntry> readable = new ArrayList<>(entries.size());
		List<Object> payloads = new ArrayList<>(entries.size());
		List<StreamDelivery> deliveries = new ArrayList<>(entries.size());
		entries.forEach((entry) -> this.inFlight.putIfAbsent(entry.id(), start));
		try {
			List<String> othersReplays = new ArrayList<>();
			for (StreamEntry entry : entries) {
				if (forAnotherGroup(entry)) {
					othersReplays.add(entry.id());
					continue;
				}
				try {
					payloads.add(decode(entry));
					readable.add(entry);
					deliveries.add(delivery(entry));
				}
				catch (RuntimeException ex) {
					this.meters.failed(1);
					giveUp(entry, ex, "the payload could not be read as " + this.payloadType);
				}
			}
			skipReplay(othersReplays);
			if (readable.isEmpty()) {
				return;
			}
			if (!this.circuit.tryStart()) {
				waitForCircuit(readable);
				return;
			}
			try {
				this.method.invoke(payloads, deliveries);
			}
			catch (Exception | Error ex) {
				// One call failed: one failure for the circuit, whatever the list's length.
				if (this.running) {
					this.circuit.failed(readable.get(0).id(), ex);
				}
				readable.forEach((entry) -> failed(entry, ex));
				return;
			}
			this.circuit.succeeded();
			if (!this.spec.atMostOnce()) {
				this.outcomes.acknowledge(readable.stream().map(StreamEntry::id).toList());
			}
		}
		finally {
			entries.forEach((entry) -> this.inFlight.remove(entry.id()));
			this.meters.handled(System.nanoTime() - start);
		}
	}

	private @Nullable Object decode(StreamEntry entry) {
		byte[] payload = entry.payload();
		if (payload == null) {
			throw new IllegalArgumentException("the entry has no 'payload' field");
		}
		if (this.payloadType.getRawClass() == String.class && (payload.length == 0 || payload[0] != '"')) {
			// A plain-text payload written by another producer.
			return new String(payload, StandardCharsets.UTF_8);
		}
		return this.mapper.readValue(payload, this.payloadType);
	}

	private StreamDelivery delivery(StreamEntry entry) {
		Map<String, String> fields = entry.fields();
		String original = fields.get(StreamDelivery.REPLAY_OF);
		if (original != null || fields.containsKey(StreamDelivery.REPLAY_GROUP)) {
			fields = new java.util.LinkedHashMap<>(fields);
			fields.remove(StreamDelivery.REPLAY_OF);
			fields.remove(StreamDelivery.REPLAY_GROUP);
		}
		RecordId id = RecordId.of(entry.id());
		return new StreamDelivery(this.spec.stream(), this.spec.group(), id, entry.deliveries(), fields,
				(original != null) ? RecordId.of(original) : id);
	}

	/** A dead letter replayed for the group that gave it up, when that is another group. */
	private boolean forAnotherGroup(StreamEntry entry) {
		String target = entry.fields().get(StreamDelivery.REPLAY_GROUP);
		return target != null && !target.equals(this.spec.group());
	}

	private void skipReplay(List<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		this.meters.replaySkipped(ids.size());
		if (!this.spec.atMostOnce()) {
			this.outcomes.acknowledge(ids);
		}
	}

	private void failed(StreamEntry entry, Throwable error) {
		if (!this.running) {
			// Stopping: the shutdown most likely interrupted the handler, which says nothing about the entry. Neither
			// retried here nor dead-lettered (that would acknowledge it on its last delivery): it stays pending, as
			// everything unfinished does on stop, and another consumer takes it.
			logger.info("Stream listener " + this.spec.listener() + " stopped while handling entry " + entry.id() + " of '"
					+ this.spec.stream() + "'; it stays pending for another consumer: " + error);
			return;
		}
		this.meters.failed(1);
		if (this.spec.atMostOnce()) {
			logger.warn("Stream listener " + this.spec.listener() + " failed on entry " + entry.id()
					+ " (at-most-once: not retried)", error);
			return;
		}
		if (!this.circuit.allowsGivingUp()) {
			// The circuit is open or probing: the failure may be the outage's, not the entry's. Never dead-lettered
			// now, whatever the delivery count: retried after the pause.
			// A little after the pause ends, so that an entry waiting for the circuit is the next probe, not this one
			// again: a poison entry must not keep the circuit open by being every probe.
			long wait = Math.max(this.circuit.millisUntilProbe() + PROBE_YIELD_MILLIS,
					this.spec.settings().backoff().initial().toMillis());
			logger.debug("Stream listener " + this.spec.listener() + " failed on entry " + entry.id() + " while its"
					+ " circuit is " + this.circuit.state() + "; retrying in " + wait + " ms: " + error);
			// Not counted as a delivery: an outage must not spend the entry's deliveries, or its first failure after the
			// outage would dead-letter it.
			scheduleRetry(entry.id(), java.time.Duration.ofMillis(wait), false);
			return;
		}
		if (entry.deliveries() >= this.spec.settings().maxDeliveries()) {
			giveUp(entry, error, "failed on all " + this.spec.settings().maxDeliveries() + " deliveries");
			return;
		}
		java.time.Duration delay = this.spec.settings().backoff().delayAfter(entry.deliveries());
		logger.warn("Stream listener " + this.spec.listener() + " failed on entry " + entry.id() + " of '"
				+ this.spec.stream() + "' (delivery " + entry.deliveries() + " of " + this.spec.settings().maxDeliveries()
				+ "), retrying in " + delay.toMillis() + " ms: " + error);
		scheduleRetry(entry.id(), delay, true);
	}

	private void scheduleRetry(String id, java.time.Duration delay, boolean countDelivery) {
		ScheduledExecutorService timer = this.scheduler;
		if (timer == null || !this.running) {
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
	private void waitForCircuit(List<StreamEntry> entries) {
		ScheduledExecutorService timer = this.scheduler;
		if (timer == null || !this.running) {
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
		if (!this.running) {
			return;
		}
		int reserved = tryReserve(entries.size());
		if (reserved < (this.method.batch() ? 1 : entries.size())) {
			unreserve(reserved, 0);
			waitForCircuit(entries);
			return;
		}
		entries.forEach((entry) -> this.retries.remove(entry.id()));
		dispatchReserved(entries);
	}

	private void retry(String id, boolean countDelivery) {
		if (!this.running) {
			return;
		}
		int reserved = tryReserve(1);
		if (reserved == 0) {
			// Every handler is busy: wait without holding the thread (it also renews what is being handled).
			scheduleRetry(id, java.time.Duration.ofMillis(100), countDelivery);
			return;
		}
		this.retries.remove(id);
		StreamEntry entry;
		try {
			entry = this.outcomes.retry(id, countDelivery);
		}
		catch (RuntimeException ex) {
			unreserve(reserved, 0);
			logger.debug("Taking entry " + id + " back for a retry failed, trying again: " + ex);
			scheduleRetry(id, java.time.Duration.ofSeconds(1), countDelivery);
			return;
		}
		if (entry == null) {
			unreserve(reserved, 0);
			return;
		}
		dispatchReserved(List.of(entry));
	}

	/**
	 * Moves an entry to the dead letters; if that fails (Redis away), the entry stays pending and comes back.
	 * @param entry the entry
	 * @param error what went wrong
	 * @param reason why it is given up
	 */
	boolean allowsGivingUp() {
		return this.circuit.allowsGivingUp();
	}

	void giveUp(StreamEntry entry, Throwable error, String reason) {
		if (this.spec.atMostOnce()) {
			logger.warn("Stream listener " + this.spec.listener() + " dropped entry " + entry.id() + ": " + reason, error);
			return;
		}
		try {
			this.outcomes.deadLetter(entry, error, reason);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not move entry " + entry.id() + " of '" + this.spec.stream() + "' to the dead letters;"
					+ " it stays pending and will be delivered again: " + ex);
		}
	}

	private RedisStreamAsyncCommands<byte[], byte[]> readCommands() {
		if (!this.readConnection.isOpen()) {
			// A new connection: the group is checked again on it.
			this.groupReady = false;
		}
		RedisStreamAsyncCommands<byte[], byte[]> commands = this.readConnection.commands();
		if (!this.running) {
			closeReadConnection();
			throw new IllegalStateException("stopped");
		}
		return commands;
	}

	private void ensureGroup(RedisStreamAsyncCommands<byte[], byte[]> redis) throws InterruptedException {
		if (this.groupReady) {
			return;
		}
		// A group this run had joined and that is missing now was lost (Redis restarted empty, FLUSHALL, failover to an
		// empty replica): a durable topic takes it up where this run stood, so that what was added since is delivered.
		String stood = this.standsAt;
		boolean rejoin = this.joinedSinceStart;
		// A rejoin without a known position (the first join's answer was lost in the fault): from the start, so
		// that entries are delivered again rather than skipped.
		String position = !this.spec.broadcast() ? "0"
				: !rejoin ? "$" : (stood != null) ? rejoinPosition(redis, stood) : "0-0";
		boolean created;
		try {
			redis.xgroupCreate(XReadArgs.StreamOffset.from(utf8(this.spec.key()), position), utf8(this.spec.group()),
					XGroupCreateArgs.Builder.mkstream())
				.get(this.access.settings().livenessTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			created = true;
		}
		catch (java.util.concurrent.ExecutionException ex) {
			if (!String.valueOf(ex.getCause().getMessage()).contains("BUSYGROUP")) {
				throw new IllegalStateException("Could not create group " + this.spec.group() + ": " + ex.getCause(), ex);
			}
			created = false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("No answer to XGROUP CREATE", ex);
		}
		if (created && rejoin) {
			this.maintenance.groupLost(position);
			if (this.spec.broadcast()) {
				// Created at the start of a new stream: this run stands there now (its ids may all be below the old ones).
				this.standsAt = position;
			}
		}
		if (this.spec.broadcast()) {
			// Before the group counts as ready, so that the maintenance thread does not reclaim meanwhile.
			String lastDelivered = this.maintenance.joined(created, !rejoin);
			if (this.standsAt == null && lastDelivered != null) {
				this.standsAt = lastDelivered;
			}
		}
		this.joinedSinceStart = true;
		this.groupReady = true;
	}

	/**
	 * Where a lost durable-topic group is created again: where this run stood when the stream still holds that entry
	 * (only the group went), else at the start. A stream without it was lost with the group (or trimmed past it):
	 * everything it holds was added since, and may have ids below the one this run stood at (explicit ids, a server
	 * clock that went back), which a group created at that id would skip without a trace.
	 */
	private String rejoinPosition(RedisStreamAsyncCommands<byte[], byte[]> redis, String stood) {
		try {
			List<StreamMessage<byte[], byte[]>> there = redis
				.xrange(utf8(this.spec.key()), io.lettuce.core.Range.create(stood, stood), io.lettuce.core.Limit.from(1))
				.get(this.access.settings().livenessTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			// "0-0", as XINFO GROUPS shows it: the gap check of a later reconnect knows it as the gap reported now.
			return (there != null && !there.isEmpty()) ? stood : "0-0";
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException("Could not read stream '" + this.spec.stream() + "': " + ex.getCause(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("No answer to XRANGE", ex);
		}
	}

	/** Moves where this run stands forward (reader thread only). */
	private void advance(String id) {
		String stood = this.standsAt;
		if (stood == null || StreamIds.compare(id, stood) > 0) {
			this.standsAt = id;
		}
	}

	private void closeReadConnection() {
		this.groupReady = false;
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
