package dev.redisstarter.test.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JvmProcessTests {

	@TempDir
	Path run;

	@Test
	void aKilledProcessRecordsNothingMoreAndStartsAgainWithANewPid() {
		try (JvmProcess ticker = JvmProcess.start(spec(), this.run)) {
			ticker.awaitOutput("ready", Duration.ofSeconds(30));
			long firstPid = ticker.pid().orElseThrow();
			awaitTicks(5);

			ticker.kill();
			assertThat(ticker.isAlive()).isFalse();
			int afterKill = ticks();
			JvmProcess.sleep(Duration.ofMillis(300));
			assertThat(ticks()).as("nothing of it runs after kill()").isEqualTo(afterKill);

			ticker.start().awaitOutput("ready", Duration.ofSeconds(30));
			assertThat(ticker.pid().orElseThrow()).isNotEqualTo(firstPid);
			assertThat(ticker.starts()).isEqualTo(2);
			awaitTicks(afterKill + 5);
		}
	}

	@Test
	void aPausedProcessRunsNothingUntilResumed() {
		try (JvmProcess ticker = JvmProcess.start(spec(), this.run)) {
			ticker.awaitOutput("ready", Duration.ofSeconds(30));
			awaitTicks(5);

			ticker.pause();
			assertThat(ticker.isPaused()).isTrue();
			JvmProcess.sleep(Duration.ofMillis(100));
			int paused = ticks();
			JvmProcess.sleep(Duration.ofMillis(400));
			assertThat(ticks()).as("SIGSTOP holds every thread").isEqualTo(paused);

			ticker.resume();
			assertThat(ticker.isPaused()).isFalse();
			awaitTicks(paused + 5);
		}
	}

	private JvmSpec spec() {
		return JvmSpec.of("ticker", Ticker.class)
			.withSystemProperties(Map.of(EventLedger.RUN_DIRECTORY_PROPERTY, this.run.toString(),
					EventLedger.PROCESS_PROPERTY, "ticker"));
	}

	private int ticks() {
		return LedgerEvents.read(this.run).of("tick").size();
	}

	private void awaitTicks(int count) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (ticks() < count) {
			assertThat(System.nanoTime()).as("ticks before the deadline").isLessThan(deadline);
			JvmProcess.sleep(Duration.ofMillis(20));
		}
	}

}
