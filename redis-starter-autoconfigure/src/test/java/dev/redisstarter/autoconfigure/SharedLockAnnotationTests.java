package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import dev.redisstarter.lock.DistributedReadWriteLock;
import dev.redisstarter.lock.DistributedSemaphore;
import dev.redisstarter.lock.FencingToken;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.LockNotAcquiredException;
import dev.redisstarter.lock.PermitLease;
import dev.redisstarter.lock.PermitsNotAcquiredException;
import dev.redisstarter.lock.RedisReadWriteLock;
import dev.redisstarter.lock.RedisSemaphore;
import dev.redisstarter.lock.WithLock;
import dev.redisstarter.lock.WithPermit;
import dev.redisstarter.lock.WithReadLock;
import dev.redisstarter.lock.WithWriteLock;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code @WithReadLock}, {@code @WithWriteLock} and {@code @WithPermit} through the lock auto-configuration. */
@RealRedis
class SharedLockAnnotationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class,
				WithLockGuardAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=slk-" + UUID.randomUUID() + ":",
				"redis.starter.lock.poll-interval=20ms");

	@Test
	void readLockMethodsRunTogetherAndAWriteLockMethodRunsAloneWithItsFencingToken() {
		this.runner.withUserConfiguration(CatalogueConfiguration.class).run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			assertThat(AopUtils.isAopProxy(catalogue)).isTrue();
			CountDownLatch bothInside = new CountDownLatch(2);
			List<CompletableFuture<Integer>> reads = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				reads.add(CompletableFuture.supplyAsync(() -> catalogue.read("eu", bothInside)));
			}
			for (CompletableFuture<Integer> read : reads) {
				read.get(10, TimeUnit.SECONDS);
			}
			assertThat(catalogue.mostReaders()).as("readers inside together").isEqualTo(2);
			long first = catalogue.write("eu", null);
			long second = catalogue.write("eu", null);
			assertThat(second).isGreaterThan(first).isPositive();
			DistributedReadWriteLock locks = context.getBean(DistributedReadWriteLock.class);
			try (LockLease held = CompletableFuture
				.supplyAsync(() -> locks.tryWriteLock("catalogue:eu", Duration.ZERO, Duration.ofSeconds(10)).orElseThrow())
				.get()) {
				assertThatExceptionOfType(LockNotAcquiredException.class)
					.isThrownBy(() -> catalogue.read("eu", new CountDownLatch(0)))
					.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo("catalogue:eu"));
			}
		});
	}

	@Test
	void aWriteLockMethodCalledUnderAReadLockMethodIsRefusedAsAnUpgrade() {
		this.runner.withUserConfiguration(CatalogueConfiguration.class).run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> catalogue.readThenWrite("us"))
				.withMessageContaining("cannot be upgraded");
			assertThat(catalogue.writeThenRead("us")).as("a read under the write lease re-enters it").isTrue();
		});
	}

	@Test
	void withPermitBoundsConcurrentCallsToItsLimit() {
		this.runner.withUserConfiguration(CatalogueConfiguration.class).run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			DistributedSemaphore semaphores = context.getBean(DistributedSemaphore.class);
			PermitLease one = semaphores.tryAcquire("exports", 2, 1, Duration.ZERO).orElseThrow();
			PermitLease two = semaphores.tryAcquire("exports", 2, 1, Duration.ZERO).orElseThrow();
			assertThatExceptionOfType(PermitsNotAcquiredException.class).isThrownBy(catalogue::export)
				.withMessageContaining("1 of the 2 permits");
			assertThat(catalogue.exports()).isZero();
			one.release();
			catalogue.export();
			assertThat(catalogue.exports()).isOne();
			assertThat(semaphores.available("exports", 2)).as("given back after the call").isOne();
			two.release();
		});
	}

	@Test
	void defaultPermitsAreBoundAndUsedByWithPermitWithoutALimit() {
		this.runner.withUserConfiguration(CatalogueConfiguration.class)
			.withPropertyValues("redis.starter.lock.default-permits=1")
			.run((context) -> {
				assertThat(context.getBean(RedisSemaphore.class).defaultLimit()).isOne();
				DistributedSemaphore semaphores = context.getBean(DistributedSemaphore.class);
				try (PermitLease held = semaphores.tryAcquire("imports", Duration.ZERO).orElseThrow()) {
					assertThatExceptionOfType(PermitsNotAcquiredException.class)
						.isThrownBy(() -> context.getBean(Catalogue.class).importAll());
				}
				context.getBean(Catalogue.class).importAll();
			});
	}

	@Test
	void aNonPositiveDefaultPermitsFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.lock.default-permits=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.lock.default-permits"));
	}

	@Test
	void moreAskedPermitsThanTheLimitFailStartUpNamingTheMethod() {
		this.runner.withUserConfiguration(BadPermitConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @WithPermit on")
				.hasStackTraceContaining("BadPermit.run"));
	}

	@Test
	void morePermitsThanTheDefaultLimitOfAWithPermitWithoutALimitFailStartUpNamingTheMethodAndTheProperty() {
		// Else every call would throw IllegalArgumentException (an HTTP 500), not a wait in vain.
		this.runner.withUserConfiguration(CatalogueConfiguration.class, BadDefaultPermitConfiguration.class)
			.withPropertyValues("redis.starter.lock.default-permits=2")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @WithPermit on")
				.hasStackTraceContaining("BadDefaultPermit.run")
				.hasStackTraceContaining("redis.starter.lock.default-permits"));
		this.runner.withUserConfiguration(BadDefaultPermitConfiguration.class)
			.run((context) -> assertThat(context).as("3 of the default 10").hasNotFailed());
	}

	@Test
	void aMethodCarryingWithLockAndAReadLockFailsStartUpNamingTheMethod() {
		// Two advisors at one order: which lock is taken first would be left to chance (lock-order deadlocks).
		this.runner.withUserConfiguration(DoublyLockedConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("DoublyLocked.run")
				.hasStackTraceContaining("only one of @WithLock"));
	}

	@Test
	void theServicesBackOffForTheApplicationsOwnAndWhenLocksAreDisabled() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RedisReadWriteLock.class).hasSingleBean(RedisSemaphore.class);
			assertThat(context.getBean(RedisSemaphore.class).defaultLimit()).isEqualTo(RedisSemaphore.DEFAULT_PERMITS);
		});
		this.runner.withPropertyValues("redis.starter.lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedReadWriteLock.class)
				.doesNotHaveBean(DistributedSemaphore.class));
	}

	@Test
	void aReadOrWriteLockMethodStopsStartUpWhenLocksAreDisabled() {
		this.runner.withUserConfiguration(CatalogueConfiguration.class)
			.withPropertyValues("redis.starter.lock.enabled=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @With")
				.hasStackTraceContaining("Lock on")
				.hasStackTraceContaining("run-unlocked-when-disabled"));
	}

	static class Catalogue {

		final AtomicInteger readers = new AtomicInteger();

		final AtomicInteger exports = new AtomicInteger();

		private final ObjectProvider<Catalogue> self;

		Catalogue(ObjectProvider<Catalogue> self) {
			this.self = self;
		}

		final AtomicInteger mostReaders = new AtomicInteger();

		int mostReaders() {
			return this.mostReaders.get();
		}

		/** Waits inside until {@code inside} reaches zero; says how many readers were inside when it entered. */
		@WithReadLock(key = "'catalogue:' + #region", waitTime = "200ms")
		int read(String region, CountDownLatch inside) {
			int together = this.readers.incrementAndGet();
			this.mostReaders.accumulateAndGet(together, Math::max);
			try {
				inside.countDown();
				inside.await(5, TimeUnit.SECONDS);
				return together;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return together;
			}
			finally {
				this.readers.decrementAndGet();
			}
		}

		@WithWriteLock(key = "'catalogue:' + #region", waitTime = "2s")
		long write(String region, FencingToken token) {
			return token.value();
		}

		@WithReadLock(key = "'catalogue:' + #region")
		long readThenWrite(String region) {
			return this.self.getObject().write(region, null);
		}

		@WithWriteLock(key = "'catalogue:' + #region")
		boolean writeThenRead(String region) {
			return this.self.getObject().read(region, new CountDownLatch(0)) == 1;
		}

		int exports() {
			return this.exports.get();
		}

		@WithPermit(key = "'exports'", limit = 2, waitTime = "50ms")
		void export() {
			this.exports.incrementAndGet();
		}

		@WithPermit(key = "'imports'", waitTime = "50ms")
		void importAll() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CatalogueConfiguration {

		@Bean
		Catalogue catalogue(@Lazy ObjectProvider<Catalogue> self) {
			return new Catalogue(self);
		}

	}

	static class BadPermit {

		@WithPermit(key = "'x'", limit = 2, permits = 3)
		void run() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadPermitConfiguration {

		@Bean
		BadPermit badPermit() {
			return new BadPermit();
		}

	}

	static class BadDefaultPermit {

		@WithPermit(key = "'x'", permits = 3)
		void run() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadDefaultPermitConfiguration {

		@Bean
		BadDefaultPermit badDefaultPermit() {
			return new BadDefaultPermit();
		}

	}

	static class DoublyLocked {

		@WithLock(key = "'a'")
		@WithReadLock(key = "'b'")
		void run() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DoublyLockedConfiguration {

		@Bean
		DoublyLocked doublyLocked() {
			return new DoublyLocked();
		}

	}

}
