package dev.redisstarter.test.schedule;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FaultInjectorTests {

	@Test
	void aRestartWithAppendOnlyKeepsTheDataAndAnEmptyRestartLosesIt() {
		try (LocalRedisServer server = LocalRedisServer.builder()
			.config("appendonly", "yes")
			.config("appendfsync", "always")
			.build()
			.start()) {
			FaultInjector injector = FaultInjector.builder().redis(server).log((line) -> { }).build();
			server.command("SET", "kept", "1");

			List<AppliedFault> applied = injector.run(schedule(FaultKind.RESTART_REDIS));
			assertThat(server.command("GET", "kept")).isEqualTo("1");
			assertThat(applied).singleElement().satisfies((fault) -> assertThat(fault.healed()).isAfter(fault.injected()));

			injector.run(schedule(FaultKind.RESTART_REDIS_EMPTY));
			assertThat(server.command("GET", "kept")).isNull();
			assertThat(server.isRunning()).isTrue();
		}
	}

	@Test
	void aFrozenServerIsThawedBeforeTheScheduleEnds() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			FaultInjector.builder().redis(server).log((line) -> { }).build().run(schedule(FaultKind.FREEZE_REDIS));

			assertThat(server.isFrozen()).isFalse();
			assertThat(server.command("PING")).isEqualTo("PONG");
		}
	}

	@Test
	void aScheduleWhoseFaultsHaveNoTargetIsRefusedBeforeAnythingHappens() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			FaultInjector injector = FaultInjector.builder().redis(server).log((line) -> { }).build();

			assertThatIllegalArgumentException().isThrownBy(() -> injector.run(schedule(FaultKind.KILL_CONSUMER)))
				.withMessageContaining("KILL_CONSUMER");
			assertThatIllegalArgumentException().isThrownBy(() -> injector.run(schedule(FaultKind.RESTART_REDIS)))
				.withMessageContaining("appendonly yes");
			assertThat(server.command("PING")).isEqualTo("PONG");
		}
	}

	private static FaultSchedule schedule(FaultKind kind) {
		return new FaultSchedule(0, Duration.ofMillis(600),
				List.of(new ScheduledFault(Duration.ofMillis(100), kind, Duration.ofMillis(300), 0)));
	}

}
