package dev.redisstarter.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.leaderboard.Leaderboard;
import dev.redisstarter.leaderboard.LeaderboardEntry;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.leaderboard.Period;
import dev.redisstarter.leaderboard.RedisLeaderboards;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

@RealRedis
class LeaderboardAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterLeaderboardAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues());

	@Test
	void providesLeaderboardsWithTheConfiguredDefaultsAndPerBoardSettings() {
		String golf = "golf-" + UUID.randomUUID();
		this.runner
			.withPropertyValues("redis.starter.leaderboard.tie-rule=dense",
					"redis.starter.leaderboard.boards." + golf + ".order=lowest-first")
			.run((context) -> {
				Leaderboards leaderboards = context.getBean(Leaderboards.class);
				Leaderboard points = leaderboards.get("points-" + UUID.randomUUID());
				points.add("a", 10);
				points.add("b", 10);
				points.add("c", 5);
				assertThat(points.rank("c")).as("dense by default here").hasValue(2);
				Leaderboard strokes = leaderboards.get(golf);
				strokes.add("a", 70);
				strokes.add("b", 68);
				assertThat(strokes.top(1)).containsExactly(new LeaderboardEntry(1, "b", 68));
			});
	}

	@Test
	void periodsFollowTheConfiguredTimeZoneAndTheApplicationsClock() {
		this.runner.withPropertyValues("redis.starter.leaderboard.time-zone=America/New_York")
			.withBean(Clock.class, () -> Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC))
			.run((context) -> assertThat(context.getBean(Leaderboards.class).get("sales", Period.DAILY).id())
				.as("22:00 on the 21st in New York").isEqualTo("sales:daily:2026-11-21"));
	}

	@Test
	void keysCarryTheApplicationsPrefix() {
		this.runner.withPropertyValues("spring.application.name=arcade").run((context) -> {
			String name = "prefixed-" + UUID.randomUUID();
			context.getBean(Leaderboards.class).get(name).add("m", 1);
			try (var connection = context.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class)
				.getConnection()) {
				assertThat(connection.keyCommands().exists(("arcade:lb:{" + name + "}").getBytes())).isTrue();
			}
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("redis.starter.leaderboard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Leaderboards.class));
	}

	@Test
	void backsOffWhenTheStarterIsDisabled() {
		this.runner.withPropertyValues("redis.starter.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Leaderboards.class));
	}

	@Test
	void aUsersOwnLeaderboardsWins() {
		this.runner.withBean("mine", Leaderboards.class, () -> new RedisLeaderboards(
				new org.springframework.data.redis.core.StringRedisTemplate(
						new org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory()),
				new dev.redisstarter.core.KeyNaming("x:")))
			.run((context) -> assertThat(context).hasSingleBean(Leaderboards.class).hasBean("mine"));
	}

	@Test
	void aNonPositiveRetentionFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.leaderboard.retention=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.leaderboard.retention"));
	}

	@Test
	void anUnknownTieRuleFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.leaderboard.tie-rule=alphabetical")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("redis.starter.leaderboard.tie-rule"));
	}

	@Test
	void anInvalidBoardNameFailsStartUp() {
		this.runner.withPropertyValues("redis.starter.leaderboard.boards.[a b].order=lowest-first")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("redis.starter.leaderboard.boards"));
	}

}
