package dev.redisstarter.test.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LedgerCheckTests {

	@TempDir
	Path run;

	private final FaultSchedule schedule = new FaultSchedule(1234, Duration.ofSeconds(10),
			List.of(new ScheduledFault(Duration.ofSeconds(1), FaultKind.RESTART_REDIS_EMPTY, Duration.ofSeconds(1), 0)));

	@Test
	void everyAcceptedMessageHandledOrDeadHolds() {
		try (EventLedger producer = EventLedger.open(this.run, "producer");
				EventLedger consumer = EventLedger.open(this.run, "consumer")) {
			producer.accepted("a");
			producer.accepted("b");
			producer.accepted("c");
			consumer.handled("a");
			consumer.handled("b");
			consumer.handled("b");
			consumer.handled("z");
		}

		LedgerReport report = LedgerCheck.of(this.run, this.schedule, List.of()).deadLetters(() -> Set.of("c")).evaluate();

		assertThat(report.holds()).isTrue();
		assertThat(report.accepted()).isEqualTo(3);
		assertThat(report.handled()).isEqualTo(2);
		assertThat(report.deadLettered()).isEqualTo(1);
		assertThat(report.duplicates()).containsEntry("b", 2).hasSize(1);
		assertThat(report.unconfirmed()).containsExactly("z");
	}

	@Test
	void aLostMessageFailsWithTheSeedAndHowToReplayIt() {
		try (EventLedger producer = EventLedger.open(this.run, "producer")) {
			producer.accepted("a");
		}

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LedgerCheck.of(this.run, this.schedule, List.of()).awaitHolds(Duration.ofMillis(200)))
			.withMessageContaining("lost 1")
			.withMessageContaining("lost: [a]")
			.withMessageContaining("seed 1234")
			.withMessageContaining("-Dredis.starter.schedule.seed=1234");
	}

	@Test
	void onlyMessagesAcceptedBeforeADataLosingFaultHealedMayBeLost() {
		try (EventLedger producer = EventLedger.open(this.run, "producer")) {
			producer.accepted("before");
			JvmProcess.sleep(Duration.ofMillis(50));
		}
		Instant healed = Instant.now();
		JvmProcess.sleep(Duration.ofMillis(50));
		try (EventLedger producer = EventLedger.open(this.run, "producer")) {
			producer.accepted("after");
		}
		AppliedFault restart = new AppliedFault(this.schedule.faults().get(0), healed.minusMillis(20), healed);

		LedgerReport report = LedgerCheck.of(this.run, this.schedule, List.of(restart)).evaluate();

		assertThat(report.lostInWindow()).containsExactly("before");
		assertThat(report.lost()).containsExactly("after");
		assertThat(report.holds()).isFalse();
	}

	@Test
	void aFaultThatKeepsDataOpensNoLossWindow() {
		try (EventLedger producer = EventLedger.open(this.run, "producer")) {
			producer.accepted("a");
		}
		ScheduledFault restart = new ScheduledFault(Duration.ZERO, FaultKind.RESTART_REDIS, Duration.ofSeconds(1), 0);
		AppliedFault applied = new AppliedFault(restart, Instant.now(), Instant.now().plusSeconds(60));

		LedgerReport report = LedgerCheck.of(this.run, this.schedule, List.of(applied)).evaluate();

		assertThat(report.lost()).containsExactly("a");
	}

	@Test
	void aFailoversLossWindowRunsFromTheReplicationLagBeforeItsInjectionToItsHeal() {
		Instant injected = Instant.parse("2026-01-01T00:00:10Z");
		Instant healed = injected.plusSeconds(16);
		for (FaultKind kind : List.of(FaultKind.SENTINEL_FAILOVER, FaultKind.CLUSTER_MASTER_KILLED)) {
			AppliedFault failover = new AppliedFault(new ScheduledFault(Duration.ZERO, kind, Duration.ofSeconds(1), 0),
					injected, healed);

			assertThat(failover.mayHaveLost(injected.minus(AppliedFault.REPLICATION_LAG).minusMillis(1)))
				.as("%s: replicated before the promotion", kind)
				.isFalse();
			assertThat(failover.mayHaveLost(injected.minus(AppliedFault.REPLICATION_LAG))).as("%s: maybe not replicated", kind)
				.isTrue();
			assertThat(failover.mayHaveLost(healed.minusMillis(1))).as("%s: acknowledged by the old master", kind).isTrue();
			assertThat(failover.mayHaveLost(healed)).as("%s: after the heal", kind).isFalse();
		}
		AppliedFault emptied = new AppliedFault(
				new ScheduledFault(Duration.ZERO, FaultKind.RESTART_REDIS_EMPTY, Duration.ofSeconds(1), 0), injected, healed);
		assertThat(emptied.mayHaveLost(injected.minusSeconds(3600))).as("everything Redis held before it").isTrue();
	}

	@Test
	void duplicatesFailWhenNotAllowedAndOutstandingWorkFails() {
		try (EventLedger ledger = EventLedger.open(this.run, "consumer")) {
			ledger.accepted("a");
			ledger.handled("a");
			ledger.handled("a");
		}

		assertThat(LedgerCheck.of(this.run, this.schedule, List.of()).evaluate().holds()).isTrue();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LedgerCheck.of(this.run, this.schedule, List.of()).noDuplicates().awaitHolds(Duration.ofSeconds(30)))
			.withMessageContaining("handled more than once 1 (not allowed)")
			.withMessageContaining("a=2");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LedgerCheck.of(this.run, this.schedule, List.of()).outstanding(() -> 3)
				.awaitHolds(Duration.ofMillis(200)))
			.withMessageContaining("still outstanding after the settle time: 3");
	}

	@Test
	void aTornLastLineIsLeftOut() throws Exception {
		try (EventLedger ledger = EventLedger.open(this.run, "consumer")) {
			ledger.handled("a");
		}
		java.nio.file.Files.writeString(this.run.resolve("killed-1.ledger"), "1 killed 1 handled b\n1 killed 1 hand");

		assertThat(LedgerEvents.read(this.run).ids(EventLedger.HANDLED)).containsExactlyInAnyOrder("a", "b");
	}

}
