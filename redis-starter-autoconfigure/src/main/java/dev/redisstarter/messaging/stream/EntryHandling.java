package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.stream.RecordId;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.HandlerCircuit;
import dev.redisstarter.messaging.observation.MessagingObservations;

/**
 * Runs a {@link StreamConsumer}'s listener method on the entries handed to a handler thread: decodes each payload,
 * skips dead letters replayed for another group, calls the method (one entry, or one list in the batch form) within
 * the listener's {@link HandlerCircuit}, and settles the result: acknowledged, retried later ({@link EntryRetries}),
 * or given up to the dead letters. Kept apart from reading and slot bookkeeping, so that what happens to an entry
 * once a handler has it reads in one place.
 */
final class EntryHandling {

	/** The consumer's category: the split into parts changed no logger name. */
	private static final Log logger = LogFactory.getLog(StreamConsumer.class);

	/** How much later than the other waiting entries an entry that failed while the circuit was open is tried. */
	private static final long PROBE_YIELD_MILLIS = 100;

	private final ConsumerSpec spec;

	private final ListenerMethod method;

	private final JsonMapper mapper;

	private final JavaType payloadType;

	private final StreamMetrics.Meters meters;

	private final HandlerCircuit circuit;

	private final EntryOutcomes outcomes;

	private final EntryRetries retries;

	/** The consumer's entries being handled, with when they started (nanos); renewed while they are. */
	private final Map<String, Long> inFlight;

	/** Whether the consumer runs: a failure once it stopped says nothing about the entry. */
	private final BooleanSupplier running;

	private final MessagingObservations observations;

	EntryHandling(ConsumerSpec spec, ListenerMethod method, JsonMapper mapper, StreamMetrics.Meters meters,
			HandlerCircuit circuit, EntryOutcomes outcomes, EntryRetries retries, Map<String, Long> inFlight,
			BooleanSupplier running, MessagingObservations observations) {
		this.spec = spec;
		this.method = method;
		this.mapper = mapper;
		this.payloadType = mapper.getTypeFactory().constructType(method.payloadType());
		this.meters = meters;
		this.circuit = circuit;
		this.outcomes = outcomes;
		this.retries = retries;
		this.inFlight = inFlight;
		this.running = running;
		this.observations = observations;
	}

	void handleOne(StreamEntry entry) {
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
				giveUp(entry, ex, "the payload could not be read as " + this.payloadType.toCanonical());
				return;
			}
			if (!this.circuit.tryStart()) {
				this.retries.waitForCircuit(List.of(entry));
				return;
			}
			try {
				observed(entry.id(), () -> this.method.invoke(payload, delivery(entry)));
			}
			catch (Exception | Error ex) {
				if (this.running.getAsBoolean()) {
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
			handled(start);
		}
	}

	void handleBatch(List<StreamEntry> entries) {
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
					giveUp(entry, ex, "the payload could not be read as " + this.payloadType.toCanonical());
				}
			}
			skipReplay(othersReplays);
			if (readable.isEmpty()) {
				return;
			}
			if (!this.circuit.tryStart()) {
				this.retries.waitForCircuit(readable);
				return;
			}
			try {
				observed(readable.get(0).id(), () -> this.method.invoke(payloads, deliveries));
			}
			catch (Exception | Error ex) {
				// One call failed: one failure for the circuit, whatever the list's length.
				if (this.running.getAsBoolean()) {
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
			handled(start);
		}
	}

	/** Calls the listener within its observation (the first entry's id for a batch), when observations are on. */
	private void observed(String entryId, ListenerCall call) throws Exception {
		Observation observation = this.observations.streamHandling(this.spec.stream(), this.spec.group(),
				this.spec.listener(), entryId);
		if (observation == null) {
			call.run();
			return;
		}
		try (Observation.Scope scope = observation.openScope()) {
			call.run();
		}
		catch (Exception | Error ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private void handled(long start) {
		if (!this.observations.enabled()) {
			// With observations on, the observation's own timer counts the handling.
			this.meters.handled(System.nanoTime() - start);
		}
	}

	/** A call of the listener method. */
	@FunctionalInterface
	private interface ListenerCall {

		void run() throws Exception;

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

	void failed(StreamEntry entry, Throwable error) {
		if (!this.running.getAsBoolean()) {
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
			this.retries.schedule(entry.id(), java.time.Duration.ofMillis(wait), false);
			return;
		}
		if (entry.deliveries() >= this.spec.settings().maxDeliveries()) {
			int max = this.spec.settings().maxDeliveries();
			giveUp(entry, error, (max == 1) ? "failed on its only delivery" : "failed on all " + max + " deliveries");
			return;
		}
		java.time.Duration delay = this.spec.settings().backoff().delayAfter(entry.deliveries());
		logger.warn("Stream listener " + this.spec.listener() + " failed on entry " + entry.id() + " of '"
				+ this.spec.stream() + "' (delivery " + entry.deliveries() + " of " + this.spec.settings().maxDeliveries()
				+ "), retrying in " + delay.toMillis() + " ms: " + error);
		this.retries.schedule(entry.id(), delay, true);
	}

	/**
	 * Moves an entry to the dead letters; if that fails (Redis away), the entry stays pending and comes back.
	 * @param entry the entry
	 * @param error what went wrong
	 * @param reason why it is given up
	 */
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

}
