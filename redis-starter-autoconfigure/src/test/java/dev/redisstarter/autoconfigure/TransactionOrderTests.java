package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.EvictTags;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.lock.WithLock;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The starter's advisors against {@code @Transactional} of default order: {@code @WithLock} holds the lock until
 * the transaction has committed, and {@code @EvictTags} invalidates after the commit (nothing on rollback), so no
 * other instance enters the critical section, or caches the old row, before the writes are visible.
 */
@RealRedis
class TransactionOrderTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=tx-" + UUID.randomUUID() + ":")
		.withUserConfiguration(TransactionalConfiguration.class);

	@Test
	void withLockHoldsTheLockUntilTheTransactionHasCommitted() {
		this.runner.run((context) -> {
			RecordingTransactionManager transactions = context.getBean(RecordingTransactionManager.class);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(
					org.springframework.data.redis.connection.RedisConnectionFactory.class));
			String lockKey = context.getBean(KeyNaming.class).prefix() + "lock:{stock:sku-1}";
			transactions.onCommit = () -> transactions.events.add("lock held at commit: " + redis.hasKey(lockKey));
			context.getBean(Inventory.class).reserve("sku-1");
			assertThat(transactions.events).containsExactly("begin", "lock held at commit: true", "commit");
			assertThat(redis.hasKey(lockKey)).as("released after the commit").isFalse();
		});
	}

	@Test
	void evictTagsInvalidatesAfterTheCommitAndNotOnRollback() {
		this.runner.run((context) -> {
			RecordingTransactionManager transactions = context.getBean(RecordingTransactionManager.class);
			CacheService cache = context.getBean(CacheService.class);
			cache.set("products:7", "old name", Duration.ofMinutes(5), "product:7");
			transactions.onCommit = () -> transactions.events
				.add("cached at commit: " + cache.get("products:7", String.class).isPresent());
			context.getBean(Catalogue.class).rename(7, false);
			assertThat(transactions.events).containsExactly("begin", "cached at commit: true", "commit");
			assertThat(cache.get("products:7", String.class)).as("invalidated once committed").isEmpty();

			cache.set("products:8", "old name", Duration.ofMinutes(5), "product:8");
			transactions.events.clear();
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(Catalogue.class).rename(8, true));
			assertThat(transactions.events).containsExactly("begin", "rollback");
			assertThat(cache.get("products:8", String.class)).as("nothing changed, nothing evicted").contains("old name");
		});
	}

	@Test
	void insideACallersTransactionTheEvictionIsDoneAgainAfterThatTransactionCommits() {
		this.runner.run((context) -> {
			RecordingTransactionManager transactions = context.getBean(RecordingTransactionManager.class);
			CacheService cache = context.getBean(CacheService.class);
			cache.set("products:9", "old name", Duration.ofMinutes(5), "product:9");
			// A reader caches the old row after the method's eviction, before the caller's commit.
			transactions.onCommit = () -> cache.set("products:9", "old name", Duration.ofMinutes(5), "product:9");
			context.getBean(Orders.class).renameWithinOrder(9);
			assertThat(cache.get("products:9", String.class)).as("evicted again after the commit").isEmpty();
		});
	}

	@Test
	void aRequiresNewMethodsEvictionHoldsEvenWhenTheCallersTransactionRollsBack() {
		this.runner.run((context) -> {
			RecordingTransactionManager transactions = context.getBean(RecordingTransactionManager.class);
			CacheService cache = context.getBean(CacheService.class);
			cache.set("products:10", "old name", Duration.ofMinutes(5), "product:10");
			assertThatIllegalStateException()
				.isThrownBy(() -> context.getBean(Orders.class).renameInNewTransactionThenFail(10));
			assertThat(transactions.events).containsExactly("begin", "begin", "commit", "rollback");
			assertThat(cache.get("products:10", String.class)).as("the new transaction committed its write")
				.isEmpty();
		});
	}

	static class Orders {

		private final Catalogue catalogue;

		Orders(Catalogue catalogue) {
			this.catalogue = catalogue;
		}

		@Transactional
		public void renameWithinOrder(long id) {
			this.catalogue.renameJoining(id);
		}

		@Transactional
		public void renameInNewTransactionThenFail(long id) {
			this.catalogue.renameInNewTransaction(id);
			throw new IllegalStateException("the order failed after the rename");
		}

	}

	@Test
	void theAdvisorOrderIsConfigurable() {
		this.runner.withPropertyValues("redis.starter.lock.advisor-order=2147483647").run((context) -> {
			RecordingTransactionManager transactions = context.getBean(RecordingTransactionManager.class);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(
					org.springframework.data.redis.connection.RedisConnectionFactory.class));
			String lockKey = context.getBean(KeyNaming.class).prefix() + "lock:{stock:sku-2}";
			context.getBean(Inventory.class).reserve("sku-2");
			assertThat(context.getBean(dev.redisstarter.lock.WithLockAdvisor.class).getOrder())
				.isEqualTo(Integer.MAX_VALUE);
			assertThat(transactions.events).startsWith("begin");
			assertThat(redis.hasKey(lockKey)).isFalse();
		});
	}

	static class Inventory {

		@WithLock(key = "'stock:' + #sku", waitTime = "1s")
		@Transactional
		public void reserve(String sku) {
		}

	}

	static class Catalogue {

		@EvictTags("'product:' + #id")
		public void renameJoining(long id) {
		}

		@EvictTags("'product:' + #id")
		@Transactional(propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
		public void renameInNewTransaction(long id) {
		}

		@EvictTags("'product:' + #id")
		@Transactional
		public void rename(long id, boolean fail) {
			if (fail) {
				throw new IllegalStateException("the update failed");
			}
		}

	}

	/** Records begin, commit and rollback, and runs a check at the moment of commit. */
	static class RecordingTransactionManager extends AbstractPlatformTransactionManager {

		final List<String> events = new CopyOnWriteArrayList<>();

		volatile Runnable onCommit = () -> {
		};

		private final ThreadLocal<Boolean> active = ThreadLocal.withInitial(() -> false);

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected boolean isExistingTransaction(Object transaction) {
			return this.active.get();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
			this.active.set(true);
			this.events.add("begin");
		}

		@Override
		protected Object doSuspend(Object transaction) {
			this.active.set(false);
			return "suspended";
		}

		@Override
		protected void doResume(Object transaction, Object suspended) {
			this.active.set(true);
		}

		@Override
		protected void doCleanupAfterCompletion(Object transaction) {
			this.active.set(false);
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
			this.onCommit.run();
			this.events.add("commit");
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
			this.events.add("rollback");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class TransactionalConfiguration {

		@Bean
		RecordingTransactionManager transactionManager() {
			return new RecordingTransactionManager();
		}

		@Bean
		Inventory inventory() {
			return new Inventory();
		}

		@Bean
		Catalogue catalogue() {
			return new Catalogue();
		}

		@Bean
		Orders orders(Catalogue catalogue) {
			return new Orders(catalogue);
		}

	}

}
