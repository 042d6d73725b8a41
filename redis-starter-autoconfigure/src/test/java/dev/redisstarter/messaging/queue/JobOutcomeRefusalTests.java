package dev.redisstarter.messaging.queue;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which script errors drop an outcome (after retries) and which only delay it: Redis 6.2 wraps every error raised
 * inside a script in {@code ERR Error running script}, failovers and memory pressure included (replies as Redis
 * 6.2.6 and 7.0.15 gave them).
 */
class JobOutcomeRefusalTests {

	private static RuntimeException reply(String message) {
		return new RedisSystemException("script failed", new RedisCommandExecutionException(message));
	}

	@Test
	void errorsOfTheDataAreRefusals() {
		assertThat(JobOutcomes.refused(reply("ERR user_script:18: attempt to perform arithmetic on a nil value"))).isTrue();
		assertThat(JobOutcomes.refused(reply("WRONGTYPE Operation against a key holding the wrong kind of value script: x")))
			.isTrue();
		assertThat(JobOutcomes.refused(reply("ERR Error running script (call to f_1): @user_script:1: WRONGTYPE Operation"
				+ " against a key holding the wrong kind of value"))).isTrue();
	}

	@Test
	void aFailoverMemoryPressureOrABusyServerIsNotARefusalEvenWrappedByRedis62() {
		assertThat(JobOutcomes.refused(reply("ERR Error running script (call to f_9681): @user_script:1: @user_script: 1:"
				+ " -READONLY You can't write against a read only replica."))).isFalse();
		assertThat(JobOutcomes.refused(reply("ERR Error running script (call to f_1): @user_script:1: -OOM command not"
				+ " allowed when used memory > 'maxmemory'."))).isFalse();
		assertThat(JobOutcomes.refused(reply("ERR Error running script (call to f_1): -NOREPLICAS Not enough good replicas"
				+ " to write."))).isFalse();
		assertThat(JobOutcomes.refused(reply("READONLY You can't write against a read only replica. script: x"))).isFalse();
		assertThat(JobOutcomes.refused(reply("BUSY Redis is busy running a script."))).isFalse();
		// A failed RDB save with stop-writes-on-bgsave-error: writes resume once a save succeeds.
		assertThat(JobOutcomes.refused(reply("ERR Error running script (call to f_1): @user_script:1: -MISCONF Redis is"
				+ " configured to save RDB snapshots, but it's currently unable to persist to disk."))).isFalse();
		assertThat(JobOutcomes.refused(reply("MISCONF Redis is configured to save RDB snapshots, but it's currently unable"
				+ " to persist to disk. script: x"))).isFalse();
		assertThat(JobOutcomes.refused(reply("LOADING Redis is loading the dataset in memory"))).isFalse();
		assertThat(JobOutcomes.refused(reply("ERR Script killed by user with SCRIPT KILL..."))).isFalse();
		assertThat(JobOutcomes.refused(new IllegalStateException("connection closed"))).isFalse();
	}

}
