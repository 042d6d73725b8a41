package dev.redisstarter.messaging.stream;

import io.micrometer.core.instrument.binder.BaseUnits;

import dev.redisstarter.core.MeterSpec;
import dev.redisstarter.core.StarterMeter;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterSpec.gauge;
import static dev.redisstarter.core.MeterSpec.timer;
import static dev.redisstarter.core.MeterTag.GROUP;
import static dev.redisstarter.core.MeterTag.STREAM;

/**
 * The streams' meters, tagged {@code stream} and {@code group} (the dead letters trimmed: {@code stream} only). The
 * gauges are refreshed every claim interval.
 */
public enum StreamMeter implements StarterMeter {

	/** Entries delivered. */
	DELIVERED(entries("delivered", "Entries delivered to the group's listener")),

	/** Acknowledgements, each entry's counted once. */
	ACKNOWLEDGED(entries("acknowledged", "Handled entries acknowledged, each counted once")),

	/** Failed handlings. */
	FAILED(entries("failed", "Entries whose handling failed")),

	/** Entries handled again. */
	RETRIED(entries("retried", "Failed entries handled again")),

	/** Entries claimed from a quiet consumer. */
	RECLAIMED(entries("reclaimed", "Pending entries claimed from a consumer that went quiet")),

	/** Entries moved to the dead letters. */
	DEAD_LETTERED(entries("dead-lettered", "Entries moved to the dead-letter stream")),

	/** Missed or re-created. */
	GAPS(counter("redis.starter.stream.gaps", BaseUnits.EVENTS, "Gaps: a durable-topic instance missed entries that"
			+ " were trimmed, or a group this run had joined was gone from Redis and was created again", STREAM, GROUP)),

	/** Replays meant for another group. */
	REPLAYS_SKIPPED(entries("replays.skipped", "Dead letters replayed for another group, acknowledged unhandled")),

	/** Pending entries lost to trimming. */
	PENDING_TRIMMED(entries("pending.trimmed",
			"Pending entries trimmed from the stream before they were handled (lost)")),

	/** Handling time, only without observations (the observation's timer times it then). */
	HANDLING(timer("redis.starter.stream.handling", "Time the listener took to handle an entry or a batch", STREAM,
			GROUP)),

	/** Entries not yet delivered to the group. */
	LAG(gauge("redis.starter.stream.lag", "entries",
			"Entries not yet delivered to the group (Redis 7; -1 when unknown), refreshed every claim interval", STREAM,
			GROUP)),

	/** Entries delivered and not acknowledged. */
	PENDING(gauge("redis.starter.stream.pending", "entries",
			"Entries delivered to the group and not yet acknowledged, refreshed every claim interval", STREAM, GROUP)),

	/** Age of the oldest pending entry. */
	PENDING_OLDEST(gauge("redis.starter.stream.pending.oldest", "seconds",
			"Time the oldest pending entry has waited, refreshed every claim interval", STREAM, GROUP)),

	/** A state, not a quantity: no base unit. */
	CIRCUIT_STATE(gauge("redis.starter.stream.circuit.state", null,
			"State of the listener's circuit: 0 closed, 1 open, 2 probing", STREAM, GROUP)),

	/** Counted by the listener's circuit, read by Micrometer. */
	CIRCUIT_OPENINGS(counter("redis.starter.stream.circuit.openings", "openings", "Times the listener's circuit opened",
			STREAM, GROUP)),

	/** Dead letters dropped by the dead-letter stream's length bound, also logged at most once a minute. */
	DEAD_LETTERS_TRIMMED(counter("redis.starter.stream.dead-letters.trimmed", "entries",
			"Old dead letters dropped by the dead-letter stream's length bound", STREAM));

	private final MeterSpec spec;

	StreamMeter(MeterSpec spec) {
		this.spec = spec;
	}

	private static MeterSpec entries(String what, String description) {
		return counter("redis.starter.stream." + what, "entries", description, STREAM, GROUP);
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
