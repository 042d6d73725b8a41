package dev.redisstarter.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.RedisStarterCache;
import dev.redisstarter.cache.RedisStarterCacheManager;
import dev.redisstarter.test.RedisDeployment;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain Spring {@code @Cacheable} through the starter's cache manager, run against each topology by a subclass. */
abstract class SpringCacheBridgeContractTests {

	private final String prefix = "bridge-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, dev.redisstarter.autoconfigure.RedisStarterCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withPropertyValues(deployment().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=" + this.prefix, "redis.starter.cache.spring-cache.enabled=true",
				"redis.starter.cache.spring-cache.allowed-packages=dev.redisstarter",
				"redis.starter.cache.caches.books.ttl=2h", "redis.starter.cache.ttl-jitter=0")
		.withUserConfiguration(LibraryConfiguration.class);

	abstract RedisDeployment deployment();

	record Book(long id, String title) {
	}

	@Test
	void theStartersCacheManagerIsUsedAndSpringBootsBacksOff() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class);
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisStarterCacheManager.class);
		});
		this.runner.withPropertyValues("redis.starter.cache.spring-cache.enabled=false")
			.run((context) -> assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisCacheManager.class));
	}

	@Test
	void cacheableHitsReadBackRecordsListsAndMapsWithTheirTypes() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			assertThat(library.find(1)).isEqualTo(new Book(1, "b1"));
			assertThat(library.find(1)).isEqualTo(new Book(1, "b1"));
			assertThat(library.shelf("a")).containsExactly(new Book(1, "b1"), new Book(2, "b2"));
			assertThat(library.shelf("a")).element(0).isInstanceOf(Book.class);
			assertThat(library.prices(1)).containsEntry("EUR", new BigDecimal("9.50"));
			assertThat(library.prices(1).get("EUR")).isInstanceOf(BigDecimal.class);
			assertThat(library.missing(4)).isNull();
			assertThat(library.missing(4)).isNull();
			assertThat(library.calls()).isEqualTo(4);
		});
	}

	@Test
	void aNearCachedCacheServesHitsLocallyAndAnEvictionInAnotherInstanceDropsThem() {
		ApplicationContextRunner near = this.runner.withPropertyValues("redis.starter.cache.caches.books.near.enabled=true",
				"redis.starter.cache.caches.books.near.max-entries=100");
		near.run((first) -> near.run((second) -> {
			assertThat(second.getBean(dev.redisstarter.cache.CacheSettings.class).policy("books").near().maxEntries())
				.isEqualTo(100);
			Library one = first.getBean(Library.class);
			Library two = second.getBean(Library.class);
			SimpleMeterRegistry meters = second.getBean(SimpleMeterRegistry.class);
			assertThat(one.find(21)).isEqualTo(new Book(21, "b21"));
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
				assertThat(two.find(21)).isEqualTo(new Book(21, "b21"));
				return meters.find("redis.starter.cache.near.hits").counter() != null
						&& meters.find("redis.starter.cache.near.hits").counter().count() > 0;
			});
			assertThat(two.calls()).as("read from Redis, then locally").isZero();
			one.remove(21);
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> {
				two.find(21);
				return two.calls() == 1;
			});
		}));
	}

	@Test
	void cachePutAndCacheEvictWriteAndRemoveEntries() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			library.save(new Book(7, "seven"));
			assertThat(library.find(7)).isEqualTo(new Book(7, "seven"));
			assertThat(library.calls()).isZero();
			library.remove(7);
			assertThat(library.find(7)).isEqualTo(new Book(7, "b7"));
			library.find(8);
			assertThat(library.calls()).isEqualTo(2);
			library.removeAll();
			library.find(7);
			library.find(8);
			assertThat(library.calls()).as("allEntries evicted both").isEqualTo(4);
		});
	}

	@Test
	void eachCacheKeepsItsOwnTimeToLiveFromYaml() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			library.find(1);
			library.prices(1);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			assertThat(redis.getExpire(this.prefix + "cache:books:1", TimeUnit.MINUTES)).isBetween(115L, 120L);
			assertThat(redis.getExpire(this.prefix + "cache:prices:1", TimeUnit.MINUTES)).isBetween(9L, 10L);
		});
	}

	@Test
	void syncTrueLoadsOnceAcrossInstances() {
		this.runner.run((first) -> this.runner.run((second) -> {
			List<Library> libraries = List.of(first.getBean(Library.class), second.getBean(Library.class));
			ExecutorService pool = Executors.newFixedThreadPool(32);
			CountDownLatch start = new CountDownLatch(1);
			try {
				List<Future<String>> calls = new ArrayList<>();
				for (int i = 0; i < 32; i++) {
					Library library = libraries.get(i % 2);
					calls.add(pool.submit(() -> {
						start.await();
						return library.slow("k");
					}));
				}
				start.countDown();
				for (Future<String> call : calls) {
					assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("slow");
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(libraries.get(0).calls() + libraries.get(1).calls()).isEqualTo(1);
		}));
	}

	@Test
	void aRecordedTypeOutsideTheAllowedPackagesIsAMiss() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			redis.opsForValue().set(this.prefix + "cache:books:9", "C:java.util.logging.FileHandler\n{}", Duration.ofMinutes(1));
			assertThat(library.find(9)).isEqualTo(new Book(9, "b9"));
			assertThat(library.calls()).isEqualTo(1);
		});
	}

	@Test
	void namesAreCheckedBeforeAnyClassIsLoadedAndDangerousJdkTypesAreRefused() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			long id = 20;
			for (String type : List.of("java.lang.Class", "java.lang.Runtime", "java.lang.ProcessBuilder",
					"java.lang.Thread", "java.lang.ClassLoader", "java.util.List<java.lang.Class>",
					"dev.untrusted.StaticInitialiserProbe", "java.util.Map<java.lang.String,dev.untrusted.StaticInitialiserProbe>")) {
				redis.opsForValue().set(this.prefix + "cache:books:" + id, "C:" + type + "\n\"java.lang.String\"",
						Duration.ofMinutes(1));
				assertThat(library.find(id)).as(type).isEqualTo(new Book(id, "b" + id));
				id++;
			}
			assertThat(System.getProperty(dev.untrusted.StaticInitialiserProbe.INITIALISED))
				.as("the refused class was never initialised").isNull();
		});
	}

	@Test
	void aCollectionOfMixedClassesIsNotCachedRatherThanReadBackAsMaps() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			assertThat(library.pets()).containsExactly(new Dog("rex"), new Cat("tom"));
			assertThat(library.pets()).as("served from the method again, never as maps")
				.containsExactly(new Dog("rex"), new Cat("tom"));
			assertThat(library.calls()).isEqualTo(2);
		});
	}

	@Test
	void aTypeOutsideTheAllowedPackagesIsNotCachedRatherThanWrittenAndNeverRead() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			assertThat(library.page(3).number()).isEqualTo(3);
			assertThat(library.page(3).number()).isEqualTo(3);
			assertThat(library.calls()).isEqualTo(2);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			assertThat(redis.hasKey(this.prefix + "cache:pages:3")).as("nothing written").isFalse();
		});
	}

	@Test
	void bridgeCachesPublishSpringBootsCacheMetersAndTimeNonSyncLoads() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			RedisStarterCache books = (RedisStarterCache) context.getBean(CacheManager.class).getCache("books");
			new RedisStarterCacheMeterBinderProvider().getMeterBinder(books, List.of()).bindTo(registry);
			library.find(31);
			library.find(31);
			assertThat(registry.get("cache.gets").tag("result", "miss").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("cache.gets").tag("result", "hit").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("cache.puts").functionCounter().count()).isEqualTo(1);
			SimpleMeterRegistry starterMeters = context.getBean(SimpleMeterRegistry.class);
			assertThat(starterMeters.get(CacheMetrics.LOADS).tag("cache", "books").timer().count())
				.as("the non-sync load, from the miss to the put").isEqualTo(1);
		});
	}

	@Test
	void aValueWhoseJsonDoesNotParseBackIsNotCachedRatherThanDeletedOnEveryRead() {
		this.runner.run((context) -> {
			Library library = context.getBean(Library.class);
			assertThat(library.shelter().pets()).hasSize(1);
			assertThat(library.shelter().pets()).hasSize(1);
			assertThat(library.calls()).isEqualTo(2);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			assertThat(redis.hasKey(this.prefix + "cache:shelters:SimpleKey []")).isFalse();
		});
	}

	interface Animal {
	}

	record Puppy(String name) implements Animal {
	}

	record Shelter(List<Animal> pets) {
	}

	record Dog(String name) {
	}

	record Cat(String name) {
	}

	static class Library {

		@Cacheable("shelters")
		public Shelter shelter() {
			this.calls.incrementAndGet();
			return new Shelter(List.of(new Puppy("rex")));
		}

		@Cacheable("pets")
		public List<Object> pets() {
			this.calls.incrementAndGet();
			return List.of(new Dog("rex"), new Cat("tom"));
		}

		@Cacheable("pages")
		public dev.untrusted.StaticInitialiserProbe.Page page(int number) {
			this.calls.incrementAndGet();
			return new dev.untrusted.StaticInitialiserProbe.Page(number);
		}

		private final AtomicInteger calls = new AtomicInteger();

		int calls() {
			return this.calls.get();
		}

		@Cacheable("books")
		public Book find(long id) {
			this.calls.incrementAndGet();
			return new Book(id, "b" + id);
		}

		@Cacheable("shelves")
		public List<Book> shelf(String name) {
			this.calls.incrementAndGet();
			return List.of(new Book(1, "b1"), new Book(2, "b2"));
		}

		@Cacheable("prices")
		public Map<String, BigDecimal> prices(long id) {
			this.calls.incrementAndGet();
			return Map.of("EUR", new BigDecimal("9.50"));
		}

		@Cacheable(cacheNames = "books", key = "'missing-' + #id")
		public Book missing(long id) {
			this.calls.incrementAndGet();
			return null;
		}

		@CachePut(cacheNames = "books", key = "#book.id")
		public Book save(Book book) {
			return book;
		}

		@CacheEvict("books")
		public void remove(long id) {
		}

		@CacheEvict(cacheNames = "books", allEntries = true)
		public void removeAll() {
		}

		@Cacheable(cacheNames = "slow", sync = true)
		public String slow(String key) throws InterruptedException {
			this.calls.incrementAndGet();
			Thread.sleep(200);
			return "slow";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class LibraryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Library library() {
			return new Library();
		}

	}

}
