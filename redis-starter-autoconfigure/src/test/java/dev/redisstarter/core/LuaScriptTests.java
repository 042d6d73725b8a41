package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Tag("compat")
class LuaScriptTests {

	private static final LuaScript<Long> INCREMENT = LuaScript.load("dev/redisstarter/core/increment-by.lua", Long.class);

	@Test
	void loadsTheScriptOnceWithItsSha1() {
		assertThat(INCREMENT.getSha1()).hasSize(40).isEqualTo(INCREMENT.sha1());
		assertThat(INCREMENT.getScriptAsString()).startsWith("-- Test script");
		assertThat(INCREMENT.getResultType()).isEqualTo(Long.class);
	}

	@Test
	void aMissingScriptFailsWithItsLocation() {
		assertThatIllegalStateException().isThrownBy(() -> LuaScript.load("dev/redisstarter/none.lua", Long.class))
			.withMessageContaining("dev/redisstarter/none.lua");
	}

	@Test
	void runsByEvalshaAndReloadsAfterTheServerRestarts() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(server.host(), server.port());
			factory.afterPropertiesSet();
			factory.start();
			try {
				StringRedisTemplate template = new StringRedisTemplate(factory);
				assertThat(template.execute(INCREMENT, List.of("counter"), "2", "60000")).isEqualTo(2);
				assertThat(template.execute(INCREMENT, List.of("counter"), "3", "60000")).isEqualTo(5);
				assertThat(evalshaCalls(server)).as("both runs sent EVALSHA").isEqualTo(2);

				server.stop();
				server.start();
				assertThat(evalshaCalls(server)).isZero();
				assertThat(template.execute(INCREMENT, List.of("counter"), "4", "60000"))
					.as("NOSCRIPT after the restart is answered by loading the script again")
					.isEqualTo(4);
				assertThat(template.execute(INCREMENT, List.of("counter"), "1", "60000")).isEqualTo(5);
				assertThat((Long) server.command("PTTL", "counter")).isPositive();
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void theScriptRunnerSendsEvalshaAndReloadsAfterARestart() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(server.host(), server.port());
			factory.afterPropertiesSet();
			factory.start();
			try {
				ScriptRunner runner = new ScriptRunner(RedisAccess.of(factory).calls(Feature.CACHE, Duration.ofSeconds(2)));
				byte[][] args = { "runner".getBytes(), "3".getBytes(), "60000".getBytes() };
				assertThat(runner.integer(INCREMENT, 1, args)).isEqualTo(3);
				assertThat(evalshaCalls(server)).isEqualTo(1);
				server.stop();
				server.start();
				assertThat(firstAnswer(() -> runner.integer(INCREMENT, 1, args))).as("NOSCRIPT answered by EVAL").isEqualTo(3);
				assertThat(runner.integer(INCREMENT, 1, args)).isEqualTo(6);
				assertThat(evalshaCalls(server)).as("cached again: the third call was an EVALSHA").isGreaterThanOrEqualTo(1);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void runsOnEveryClusterNode() {
		RedisCluster cluster = SharedRedis.cluster();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of(cluster.seedNodes().split(","))));
		factory.afterPropertiesSet();
		factory.start();
		try {
			StringRedisTemplate template = new StringRedisTemplate(factory);
			for (int i = 0; i < 30; i++) {
				String key = "lua-cluster:" + i;
				template.delete(key);
				assertThat(template.execute(INCREMENT, List.of(key), "1", "60000")).isEqualTo(1);
			}
		}
		finally {
			factory.destroy();
		}
	}

	private static long evalshaCalls(LocalRedisServer server) {
		Map<String, String> stats = new java.util.HashMap<>();
		for (String line : String.valueOf(server.command("INFO", "commandstats")).split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				stats.put(line.substring(0, colon), line.substring(colon + 1));
			}
		}
		String evalsha = stats.get("cmdstat_evalsha");
		if (evalsha == null) {
			return 0;
		}
		return Long.parseLong(evalsha.replaceAll("^calls=(\\d+),.*$", "$1"));
	}

	/** The first answer once the starter has reconnected: calls fail fast until then. */
	private static <T> T firstAnswer(java.util.function.Supplier<T> call) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			try {
				return call.get();
			}
			catch (org.springframework.dao.DataAccessException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			}
		}
	}

}
