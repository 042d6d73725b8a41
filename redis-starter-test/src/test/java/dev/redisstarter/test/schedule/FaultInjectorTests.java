package dev.redisstarter.test.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
	void proxyFaultsAndADownstreamOutageHoldForTheirTimeAndEndHealed(@TempDir Path run) throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			DownstreamSwitch downstream = DownstreamSwitch.in(run);
			FaultInjector injector = FaultInjector.builder().proxy(proxy).downstream(downstream).log((line) -> { }).build();
			FaultSchedule schedule = new FaultSchedule(0, Duration.ofSeconds(3),
					List.of(new ScheduledFault(Duration.ofMillis(100), FaultKind.BLACK_HOLE, Duration.ofMillis(600), 0),
							new ScheduledFault(Duration.ofMillis(900), FaultKind.LATENCY, Duration.ofMillis(600), 0),
							new ScheduledFault(Duration.ofMillis(1700), FaultKind.DOWNSTREAM_OUTAGE, Duration.ofMillis(600), 0)));
			List<Fault> seen = new CopyOnWriteArrayList<>();
			List<Boolean> downstreamSeen = new CopyOnWriteArrayList<>();
			Thread watcher = new Thread(() -> {
				for (int i = 0; i < 50; i++) {
					seen.add(proxy.fault());
					downstreamSeen.add(downstream.isDown());
					JvmProcess.sleep(Duration.ofMillis(50));
				}
			});
			watcher.start();

			injector.run(schedule);
			watcher.join();

			assertThat(seen).contains(Fault.BLACK_HOLE, Fault.LATENCY);
			assertThat(downstreamSeen).contains(true);
			assertThat(proxy.fault()).isEqualTo(Fault.PASS);
			assertThat(downstream.isDown()).isFalse();
			assertThatExceptionOfType(DownstreamSwitch.DownstreamUnavailableException.class).isThrownBy(() -> {
				downstream.down();
				downstream.failIfDown();
			});
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
