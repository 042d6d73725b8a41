package dev.redisstarter.lock;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * An application instance in a JVM of its own that takes every permit of a semaphore (renewed leases of 1 s), says
 * {@code holding}, and holds them until it is killed. Arguments: {@code standalone host port} or {@code cluster
 * seed,seed...}, then the semaphore's name and its limit.
 */
public final class PermitHolderProcess {

	private PermitHolderProcess() {
	}

	public static void main(String[] args) throws Exception {
		boolean cluster = "cluster".equals(args[0]);
		LettuceConnectionFactory factory = cluster
				? new LettuceConnectionFactory(new RedisClusterConfiguration(List.of(args[1].split(","))))
				: new LettuceConnectionFactory(new RedisStandaloneConfiguration(args[1], Integer.parseInt(args[2])));
		factory.afterPropertiesSet();
		factory.start();
		int next = cluster ? 2 : 3;
		String name = args[next];
		int limit = Integer.parseInt(args[next + 1]);
		RedisSemaphore semaphore = new RedisSemaphore(factory, SemaphoreContractTests.KEYS,
				LockSettings.DEFAULTS.withDefaultLease(Duration.ofSeconds(1)), limit,
				new LockMetrics(new SimpleMeterRegistry()));
		semaphore.tryAcquire(name, limit, limit, Duration.ofSeconds(10)).orElseThrow();
		System.out.println("holding");
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
