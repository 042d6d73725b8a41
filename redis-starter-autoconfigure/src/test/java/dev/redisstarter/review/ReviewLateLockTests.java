package dev.redisstarter.review;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

class ReviewLateLockTests {

	@Test
	void lateLockReply() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, meters).start();
			access.awaitConnection(Duration.ofSeconds(10));
			KeyNaming keys = new KeyNaming("rv:");
			JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(meters));
			RedisCacheService cache = new RedisCacheService(access.calls(Feature.CACHE, Duration.ofMillis(300)), keys, codec,
					CacheSettings.DEFAULTS, new CacheMetrics(meters));
			RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(500)), keys,
					LockSettings.DEFAULTS, new LockMetrics(meters));
			try {
				lock.tryAcquire("warm", Duration.ZERO).orElseThrow().close();
				cache.set("k", "v", Duration.ofMinutes(1));
				server.freeze();
				long t0 = System.nanoTime();
				try {
					lock.tryAcquire("order", Duration.ZERO, Duration.ofMinutes(10));
					System.out.println("RV acquired?!");
				}
				catch (RuntimeException ex) {
					System.out.println("RV acquire failed after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + ex);
				}
				AtomicBoolean stop = new AtomicBoolean();
				List<String> stacks = new ArrayList<>();
				Thread sampler = new Thread(() -> {
					while (!stop.get()) {
						for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
							if (e.getKey().getName().contains("lettuce")) {
								for (StackTraceElement el : e.getValue()) {
									if (el.getClassName().contains("RedisCalls")) {
										synchronized (stacks) {
											if (stacks.isEmpty()) {
												StringBuilder sb = new StringBuilder(e.getKey().getName());
												for (StackTraceElement x : e.getValue()) {
													if (x.getClassName().startsWith("dev.")) sb.append(" <- ").append(x.getClassName().replaceAll(".*\\.", "")).append(".").append(x.getMethodName()).append(":").append(x.getLineNumber());
												}
												stacks.add(sb.toString());
											}
										}
									}
								}
							}
						}
						try { Thread.sleep(5); } catch (InterruptedException ie) { return; }
					}
				});
				sampler.start();
				server.thaw();
				long max = 0;
				int failures = 0;
				long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
				while (System.nanoTime() < end) {
					long s = System.nanoTime();
					try {
						cache.get("k", String.class);
					}
					catch (RuntimeException ex) {
						failures++;
					}
					max = Math.max(max, System.nanoTime() - s);
				}
				stop.set(true);
				sampler.join();
				System.out.println("RV cache get max latency after thaw: " + max / 1_000_000 + " ms, failures " + failures);
				System.out.println("RV lock deadlines expired: " + meters.get("redis.starter.lock.deadlines.expired").counter().count());
				System.out.println("RV cache deadlines expired: " + meters.find("redis.starter.cache.deadlines.expired").counter().count());
				System.out.println("RV circuit: " + access.circuit() + " openings " + access.circuit().openings() + " last " + access.circuit().lastFailure());
				System.out.println("RV lock key exists: " + server.command("EXISTS", "rv:lock:{order}"));
				synchronized (stacks) {
					stacks.forEach((s) -> System.out.println("RV event loop stack: " + s));
				}
			}
			finally {
				server.thaw();
				lock.close();
				cache.close();
				access.close();
				factory.destroy();
			}
		}
	}

}
