package dev.redisstarter.review2;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import dev.redisstarter.autoconfigure.CacheAutoConfiguration;
import dev.redisstarter.autoconfigure.LockAutoConfiguration;
import dev.redisstarter.autoconfigure.RateLimitAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.EvictTags;
import dev.redisstarter.cache.TaggedCacheable;
import dev.redisstarter.ratelimit.RateLimitContext;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RealRedis
class Review2SpringTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, LockAutoConfiguration.class, CacheAutoConfiguration.class,
				RateLimitAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=rv2-" + UUID.randomUUID() + ":");

	// ---- transactions ----

	@Test
	void evictionInsideACallersTransactionWaitsForItsCommit() {
		this.runner.withUserConfiguration(Tx.class).run((context) -> {
			assertThat(context).hasNotFailed();
			NestingTransactions tx = context.getBean(NestingTransactions.class);
			CacheService cache = context.getBean(CacheService.class);
			cache.set("products:7", "old", Duration.ofMinutes(5), "product:7");
			tx.onCommit = () -> tx.events.add("cached at commit: " + cache.get("products:7", String.class).isPresent());
			context.getBean(Service.class).updateInOuter(7, false);
			System.out.println("REVIEW2 caller tx: " + tx.events + " after: " + cache.get("products:7", String.class));
			assertThat(cache.get("products:7", String.class)).isEmpty();
		});
	}

	@Test
	void requiresNewEvictionIsLostWhenTheCallersTransactionRollsBack() {
		this.runner.withUserConfiguration(Tx.class).run((context) -> {
			NestingTransactions tx = context.getBean(NestingTransactions.class);
			CacheService cache = context.getBean(CacheService.class);
			cache.set("products:8", "old", Duration.ofMinutes(5), "product:8");
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(Service.class).updateInOuter(8, true));
			System.out.println("REVIEW2 requires-new: " + tx.events + " after: " + cache.get("products:8", String.class));
			assertThat(tx.events).as("inner committed").contains("commit");
			assertThat(cache.get("products:8", String.class)).as("the REQUIRES_NEW update committed: evicted").isEmpty();
		});
	}

	// ---- SpEL ----

	@Test
	void rootIsAcceptedAtStartUpButFailsAtCallTime() {
		this.runner.withBean(RootUser.class).run((context) -> {
			assertThat(context).hasNotFailed();
			Throwable t = null;
			try {
				System.out.println("REVIEW2 #root: " + context.getBean(RootUser.class).find(1L));
			}
			catch (Throwable ex) {
				t = ex;
				System.out.println("REVIEW2 #root fails: " + ex);
			}
			assertThat(t).isNull();
		});
	}

	@Test
	void validExpressionsAreAccepted() {
		this.runner.withBean(Valid.class).run((context) -> {
			if (context.getStartupFailure() != null) {
				System.out.println("REVIEW2 valid refused: " + context.getStartupFailure());
			}
			assertThat(context).hasNotFailed();
			Valid v = context.getBean(Valid.class);
			System.out.println("REVIEW2 valid: " + v.find(List.of("a", "bb", "ccc"), null));
		});
	}

	@Test
	void aCustomRateLimitContextsVariableIsRefusedAtStartUp() {
		this.runner.withBean(TenantContext.class).withBean(Tenanted.class).run((context) -> {
			if (context.getStartupFailure() != null) {
				System.out.println("REVIEW2 custom context refused: " + context.getStartupFailure().getMessage());
			}
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Tenanted.class).call()).isEqualTo("ok");
		});
	}

	// ---- bridge ----

	@Test
	void bridgeSyncGetPassesTheMethodsExceptionUnchanged() {
		this.runner
			.withConfiguration(AutoConfigurations.of(org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration.class))
			.withPropertyValues("redis.starter.cache.spring-cache.enabled=true",
					"redis.starter.cache.fail-on-redis-down=true")
			.withUserConfiguration(Bridge.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatThrownBy(() -> context.getBean(Failing.class).find("x"))
					.isInstanceOf(org.springframework.dao.QueryTimeoutException.class);
			});
	}

	static class Failing {

		@Cacheable(cacheNames = "failing", sync = true)
		public String find(String id) {
			throw new org.springframework.dao.QueryTimeoutException("database is down");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Bridge {

		@Bean
		Failing failing() {
			return new Failing();
		}

	}

	static class RootUser {

		@TaggedCacheable(cache = "r", key = "#root.methodName + ':' + #id", ttl = "1m")
		public String find(Long id) {
			return "r" + id;
		}

	}

	public static class Valid {

		@TaggedCacheable(cache = "v", key = "#names.?[#this.length() > 1].size() + ':' + (#maybe?.length() ?: 0)"
				+ " + ':' + T(java.lang.Math).max(1, 2) + (#names.isEmpty() ? 'e' : 'n') + #names.![#this.toUpperCase()]",
				tags = "'x:' + #result?.length()", ttl = "1m")
		public String find(List<String> names, @Nullable String maybe) {
			return "v";
		}

	}

	public static class TenantContext implements RateLimitContext {

		@Override
		public @Nullable String defaultKey() {
			return null;
		}

		@Override
		public Map<String, Object> variables() {
			return Map.of("tenant", "acme");
		}

		@Override
		public void decided(RateLimitResult result) {
		}

	}

	public static class Tenanted {

		@RateLimited(limit = 100, window = "1m", key = "#tenant")
		public String call() {
			return "ok";
		}

	}

	public static class Catalogue {

		@EvictTags("'product:' + #id")
		@Transactional(propagation = Propagation.REQUIRES_NEW)
		public void renameNow(long id) {
		}

		@EvictTags("'product:' + #id")
		public void rename(long id) {
		}

	}

	public static class Service {

		private final Catalogue catalogue;

		Service(Catalogue catalogue) {
			this.catalogue = catalogue;
		}

		@Transactional
		public void updateInOuter(long id, boolean requiresNewThenFail) {
			if (requiresNewThenFail) {
				this.catalogue.renameNow(id);
				throw new IllegalStateException("the outer work failed after the inner update committed");
			}
			this.catalogue.rename(id);
		}

	}

	static class NestingTransactions extends AbstractPlatformTransactionManager {

		final List<String> events = new CopyOnWriteArrayList<>();

		final ThreadLocal<Object> current = new ThreadLocal<>();

		volatile Runnable onCommit = () -> {
		};

		static final class Holder {

			Object existing;

		}

		@Override
		protected Object doGetTransaction() {
			Holder h = new Holder();
			h.existing = this.current.get();
			return h;
		}

		@Override
		protected boolean isExistingTransaction(Object transaction) {
			return ((Holder) transaction).existing != null;
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
			this.current.set(new Object());
			this.events.add("begin");
		}

		@Override
		protected Object doSuspend(Object transaction) {
			Object s = this.current.get();
			this.current.remove();
			((Holder) transaction).existing = null;
			return s;
		}

		@Override
		protected void doResume(@Nullable Object transaction, Object suspended) {
			this.current.set(suspended);
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

		@Override
		protected void doCleanupAfterCompletion(Object transaction) {
			this.current.remove();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class Tx {

		@Bean
		NestingTransactions transactionManager() {
			return new NestingTransactions();
		}

		@Bean
		Catalogue catalogue() {
			return new Catalogue();
		}

		@Bean
		Service service(Catalogue catalogue) {
			return new Service(catalogue);
		}

	}

}
