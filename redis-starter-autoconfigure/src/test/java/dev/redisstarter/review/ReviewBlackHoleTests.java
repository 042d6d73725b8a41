package dev.redisstarter.review;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

class ReviewBlackHoleTests {

	@Test
	void staleConnectAttemptsReopenTheCircuitAfterRecovery() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(proxy.host(), proxy.port()),
					LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(8)).build());
			factory.afterPropertiesSet();
			factory.start();
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, meters).start();
			access.awaitConnection(Duration.ofSeconds(10));
			RedisCalls calls = access.calls(Feature.CACHE, Duration.ofMillis(300));
			byte[] key = "bh".getBytes();
			try {
				calls.call((redis) -> redis.set(key, key));
				proxy.set(Fault.BLACK_HOLE);
				for (int i = 0; i < 4; i++) {
					try { calls.call((redis) -> redis.get(key)); } catch (RuntimeException ex) { }
				}
				System.out.println("RV circuit after black hole: " + access.circuit());
				Thread.sleep(7000);
				proxy.pass();
				long passed = System.nanoTime();
				long openingsAtPass = access.circuit().openings();
				boolean wasOk = false;
				long firstOk = -1;
				int refusedAfterRecovery = 0;
				long end = passed + Duration.ofSeconds(16).toNanos();
				while (System.nanoTime() < end) {
					boolean ok;
					try {
						calls.call((redis) -> redis.get(key));
						ok = true;
					}
					catch (RuntimeException ex) {
						ok = false;
					}
					long at = (System.nanoTime() - passed) / 1_000_000;
					if (ok && firstOk < 0) firstOk = at;
					if (ok != wasOk) {
						System.out.println("RV t=" + at + " ms after pass: " + (ok ? "calls work" : "calls refused") + " (openings "
								+ access.circuit().openings() + ", last " + access.circuit().lastFailure() + ")");
						wasOk = ok;
					}
					if (!ok && firstOk >= 0) refusedAfterRecovery++;
					Thread.sleep(5);
				}
				System.out.println("RV first ok " + firstOk + " ms; openings after pass " + (access.circuit().openings() - openingsAtPass)
						+ "; refused calls after recovery " + refusedAfterRecovery);
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

}
