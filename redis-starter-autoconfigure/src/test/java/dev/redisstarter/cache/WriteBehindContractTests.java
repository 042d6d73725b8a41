package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.messaging.RetryBackoff;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Write-behind caches, run against each topology by a subclass. */
abstract class WriteBehindContractTests {

	record Product(long id, String name, long version) {
	}

	/** A system of record in memory that remembers every call. */
	static final class Store implements WriteBehindWriter<Product> {

		final Map<String, Product> rows = new ConcurrentHashMap<>();

		final List<Map<String, Product>> batches = new CopyOnWriteArrayList<>();

		final Map<String, List<Long>> versionsByKey = new ConcurrentHashMap<>();

		final Set<String> failing = ConcurrentHashMap.newKeySet();

		@Override
		public void write(String cache, Map<String, Product> upserts, Set<String> deletes) {
			for (String key : upserts.keySet()) {
				if (this.failing.contains(key)) {
					throw new IllegalStateException("the database refuses " + key);
				}
			}
			this.batches.add(Map.copyOf(upserts));
			upserts.forEach((key, product) -> {
				this.rows.put(key, product);
				this.versionsByKey.computeIfAbsent(key, (k) -> new CopyOnWriteArrayList<>()).add(product.version());
			});
			deletes.forEach(this.rows::remove);
		}

	}

	abstract RedisDeployment deployment();

	private final KeyNaming naming = new KeyNaming("wb-" + UUID.randomUUID().toString().substring(0, 8) + ":");

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<AutoCloseable> closing = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	static WriteBehindPolicy policy(int partitions, int batchSize, Duration maxDelay) {
		return WriteBehindPolicy.DEFAULTS.withPartitions(partitions, Duration.ofSeconds(2))
			.withBatching(batchSize, maxDelay)
			.withRetries(2, RetryBackoff.fixed(Duration.ofMillis(20)));
	}

	private RedisCalls calls() {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		return RedisAccess.of(factory).calls(Feature.CACHE, Duration.ofSeconds(2));
	}

	RedisCacheService cache(WriteBehindPolicy policy) {
		RedisCacheService cache = new RedisCacheService(calls(), this.naming,
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters)), CacheSettings.DEFAULTS,
				new CacheMetrics(this.meters), new WriteBehindSettings(Map.of("products", policy)));
		this.closing.add(cache);
		return cache;
	}

	WriteBehind writeBehind(WriteBehindPolicy policy, WriteBehindWriter<?> writer) {
		WriteBehind writeBehind = new WriteBehind(calls(), this.naming, JsonMapper.builder().build(),
				new WriteBehindSettings(Map.of("products", policy)), Map.of("products", writer), "test",
				new CacheMetrics(this.meters));
		this.closing.add(writeBehind);
		return writeBehind;
	}

	private double writeBehindCount(String outcome) {
		return this.meters.find("redis.starter.cache.write-behind").tag("outcome", outcome).counters().stream()
			.mapToDouble((counter) -> counter.count()).sum();
	}

	static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("not within " + timeout);
			}
			Thread.sleep(20);
		}
	}

	@Test
	void aReaderSeesTheCachedValueBeforeItIsPersisted() {
		WriteBehindPolicy policy = policy(2, 100, Duration.ofMillis(50));
		RedisCacheService cache = cache(policy);
		cache.set("products:1", new Product(1, "lamp", 1), Duration.ofMinutes(5));
		assertThat(cache.get("products:1", Product.class)).contains(new Product(1, "lamp", 1));
		cache.delete("products:1");
		assertThat(cache.get("products:1", Product.class)).isEmpty();
		// Two writes waiting for a writer: no instance persists this cache yet.
		assertThat(writeBehind(policy, new Store()).backlog("products")).isEqualTo(2);
	}

	@Test
	void aLoadDoesNotReplaceAWriteMadeWhileItRan() {
		RedisCacheService cache = cache(policy(2, 100, Duration.ofMillis(50)));
		Product loaded = cache.getOrLoad("products:5", Product.class, Duration.ofMinutes(5), () -> {
			// The store still has the old row: the write below is not persisted yet.
			cache.set("products:5", new Product(5, "new", 2), Duration.ofMinutes(5));
			return new Product(5, "old", 1);
		});
		assertThat(loaded).isEqualTo(new Product(5, "old", 1));
		assertThat(cache.get("products:5", Product.class)).contains(new Product(5, "new", 2));
	}

	@Test
	void warmedEntriesOfAWriteBehindCacheAreNotWrittenBack() {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(50));
		RedisCacheService cache = cache(policy);
		CacheWarming warming = new CacheWarming(cache, CacheSettings.DEFAULTS, new CacheMetrics(this.meters),
				new CacheWarming.Settings(2, Duration.ofSeconds(10)));
		warming.warm(List.of(CacheWarmer.ofEntries("products", () -> Map.of("1", new Product(1, "lamp", 1)))));
		assertThat(cache.get("products:1", Product.class)).contains(new Product(1, "lamp", 1));
		assertThat(writeBehind(policy, new Store()).backlog("products")).isZero();
	}

	@Test
	void writesOfAKeyInOneBatchReachTheWriterOnceWithTheLastValue() throws Exception {
		WriteBehindPolicy policy = policy(1, 1000, Duration.ofMillis(200));
		RedisCacheService cache = cache(policy);
		for (int version = 1; version <= 20; version++) {
			cache.set("products:1", new Product(1, "lamp", version), Duration.ofMinutes(5));
			cache.set("products:2", new Product(2, "desk", version), Duration.ofMinutes(5));
		}
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		await(() -> store.rows.size() == 2, Duration.ofSeconds(10));
		assertThat(store.batches).containsExactly(
				Map.of("products:1", new Product(1, "lamp", 20), "products:2", new Product(2, "desk", 20)));
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(5));
		assertThat(writeBehindCount("set")).isEqualTo(40);
		assertThat(writeBehindCount("persisted")).isEqualTo(2);
		assertThat(writeBehindCount("superseded")).isEqualTo(38);
	}

	@Test
	void theWritesOfAKeyArePersistedInOrderAcrossBatches() throws Exception {
		WriteBehindPolicy policy = policy(2, 7, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		for (int version = 1; version <= 100; version++) {
			for (int key = 0; key < 5; key++) {
				cache.set("products:" + key, new Product(key, "p", version), Duration.ofMinutes(5));
			}
		}
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(15));
		assertThat(store.batches.size()).isGreaterThan(1);
		for (int key = 0; key < 5; key++) {
			List<Long> versions = store.versionsByKey.get("products:" + key);
			assertThat(versions).isSorted().doesNotHaveDuplicates().endsWith(100L);
			assertThat(store.rows.get("products:" + key).version()).isEqualTo(100);
		}
	}

	@Test
	void aWriteThatKeepsFailingIsDeadLetteredWithItsKeyAndValueAndItsReplayIsPersisted() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		store.failing.add("products:bad");
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		cache.set("products:good", new Product(1, "good", 1), Duration.ofMinutes(5));
		cache.set("products:bad", new Product(2, "bad", 7), Duration.ofMinutes(5));
		await(() -> !writeBehind.deadLetters("products", 10).isEmpty(), Duration.ofSeconds(10));
		// The good key was persisted alone once the batch kept failing.
		await(() -> store.rows.containsKey("products:good"), Duration.ofSeconds(5));
		List<WriteBehindDeadLetter> letters = writeBehind.deadLetters("products", 10);
		assertThat(letters).singleElement().satisfies((letter) -> {
			assertThat(letter.key()).isEqualTo("products:bad");
			assertThat(letter.operation()).isEqualTo(WriteBehindDeadLetter.Operation.SET);
			assertThat(letter.value()).contains("\"version\":7");
			assertThat(letter.message()).contains("the database refuses products:bad");
			assertThat(letter.error()).isEqualTo(IllegalStateException.class.getName());
		});
		assertThat(store.rows).doesNotContainKey("products:bad");
		store.failing.clear();
		assertThat(writeBehind.replay(letters.get(0))).isTrue();
		await(() -> store.rows.containsKey("products:bad"), Duration.ofSeconds(5));
		assertThat(store.rows.get("products:bad")).isEqualTo(new Product(2, "bad", 7));
		assertThat(writeBehind.deadLetters("products", 10)).isEmpty();
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(5));
	}

	@Test
	void aStoreDownForLongerThanTheRetriesTurnsNoWriteIntoADeadLetterAndGetsEveryWriteWhenItIsBack() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
		WriteBehind writeBehind = writeBehind(policy, new WriteBehindWriter<Product>() {
			@Override
			public void write(String name, Map<String, Product> upserts, Set<String> deletes) {
				calls.incrementAndGet();
				if (down.get()) {
					throw new IllegalStateException("the database is down");
				}
				store.write(name, upserts, deletes);
			}
		});
		for (int i = 0; i < 5; i++) {
			cache.set("products:" + i, new Product(i, "p" + i, 1), Duration.ofMinutes(5));
		}
		// One batch of five keys, none of which goes through alone (the first keys of an outage that come one per
		// batch are dead-lettered until OUTAGE_KEYS have failed in a row).
		writeBehind.start();
		// Several rounds of the retry policy (2 attempts 20 ms apart, then each key alone), at the back-off's pace.
		await(() -> calls.get() > 20, Duration.ofSeconds(10));
		assertThat(writeBehind.deadLetters("products", 10)).as("an outage is not a bad key").isEmpty();
		assertThat(writeBehind.backlog("products")).isEqualTo(5);
		down.set(false);
		await(() -> store.rows.size() == 5, Duration.ofSeconds(10));
		assertThat(writeBehind.deadLetters("products", 10)).isEmpty();
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(5));
		// A bad key alone, once the store is back, is a dead letter again.
		store.failing.add("products:bad");
		cache.set("products:bad", new Product(9, "bad", 1), Duration.ofMinutes(5));
		await(() -> writeBehind.deadLetters("products", 10).size() == 1, Duration.ofSeconds(10));
	}

	@Test
	void aReplayedDeadLetterDoesNotOverwriteALaterWriteOfItsKey() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		store.failing.add("products:3");
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		cache.set("products:3", new Product(3, "old", 1), Duration.ofMinutes(5));
		await(() -> !writeBehind.deadLetters("products", 10).isEmpty(), Duration.ofSeconds(10));
		store.failing.clear();
		cache.set("products:3", new Product(3, "new", 2), Duration.ofMinutes(5));
		await(() -> store.rows.containsKey("products:3"), Duration.ofSeconds(5));
		assertThat(writeBehind.replayAll("products")).isEqualTo(1);
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(5));
		assertThat(store.rows.get("products:3")).isEqualTo(new Product(3, "new", 2));
		assertThat(store.versionsByKey.get("products:3")).containsExactly(2L);
	}

	@Test
	void aDeleteIsReadAsAbsentAndPersistedAsADelete() throws Exception {
		WriteBehindPolicy policy = policy(2, 100, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		cache.set("products:9", new Product(9, "chair", 1), Duration.ofMinutes(5));
		await(() -> store.rows.containsKey("products:9"), Duration.ofSeconds(5));
		cache.delete("products:9");
		// Absent, not missing: a getOrLoad would otherwise load the old row before the delete is persisted.
		assertThat(cache.getOrLoad("products:9", Product.class, Duration.ofMinutes(1), () -> store.rows.get("products:9")))
			.isNull();
		await(() -> !store.rows.containsKey("products:9"), Duration.ofSeconds(5));
	}

	@Test
	void stopHandsWhatIsPendingToTheWriterBeforeItReturns() throws Exception {
		WriteBehindPolicy policy = policy(2, 1000, Duration.ofMinutes(1)).withDrainTimeout(Duration.ofSeconds(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		for (int key = 0; key < 50; key++) {
			cache.set("products:" + key, new Product(key, "p", 1), Duration.ofMinutes(5));
		}
		Thread.sleep(300);
		// Batches wait a minute to fill: nothing is persisted before the shutdown.
		assertThat(store.rows).isEmpty();
		writeBehind.stop();
		assertThat(store.rows).hasSize(50);
		assertThat(writeBehind.backlog("products")).isZero();
	}

	@Test
	void aStopRightAfterTheStartStillHandsOverWhatWasWaiting() {
		WriteBehindPolicy policy = policy(2, 1000, Duration.ofMinutes(1)).withDrainTimeout(Duration.ofSeconds(10));
		RedisCacheService cache = cache(policy);
		for (int key = 0; key < 20; key++) {
			cache.set("products:" + key, new Product(key, "p", 1), Duration.ofMinutes(5));
		}
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		// Draining from the first step: reading the (empty) entries pending here first must not end the drain.
		writeBehind.stop();
		assertThat(store.rows).hasSize(20);
	}

	@Test
	void persistedWritesLeaveNothingInRedisButTheEntries() throws Exception {
		WriteBehindPolicy policy = policy(1, 10, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		for (int i = 0; i < 100; i++) {
			cache.set("products:" + (i % 10), new Product(i, "p", i), Duration.ofMinutes(5));
		}
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(10));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		try (RedisConnection connection = factories.get(0).getConnection()) {
			byte[] latest = keys.latest("products", 0).getBytes(StandardCharsets.UTF_8);
			assertThat(connection.hashCommands().hLen(latest)).isZero();
			assertThat(connection.streamCommands().xLen(keys.stream("products", 0).getBytes(StandardCharsets.UTF_8)))
				.isZero();
		}
	}

	@Test
	void aFullPartitionRefusesWritesInsteadOfTrimmingThem() {
		WriteBehindPolicy policy = new WriteBehindPolicy(1, 100, Duration.ofSeconds(1), 2,
				RetryBackoff.fixed(Duration.ofMillis(10)), Duration.ofSeconds(2), 3, 100, Duration.ofSeconds(5));
		RedisCacheService cache = cache(policy);
		for (int i = 0; i < 3; i++) {
			cache.set("products:" + i, new Product(i, "p", 1), Duration.ofMinutes(5));
		}
		assertThatExceptionOfType(WriteBehindFullException.class)
			.isThrownBy(() -> cache.set("products:4", new Product(4, "p", 1), Duration.ofMinutes(5)))
			.withMessageContaining("max-backlog");
		assertThat(cache.get("products:4", Product.class)).isEmpty();
	}

	@Test
	void aWriteBehindCacheRefusesTags() {
		RedisCacheService cache = cache(policy(1, 10, Duration.ofMillis(10)));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> cache.set("products:1", new Product(1, "p", 1), Duration.ofMinutes(5), "category:1"))
			.withMessageContaining("takes no tags");
	}

	@Test
	void writesAnEarlierHolderReadAfterLosingItsLeaseAreClaimedAndPersisted() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10)).withPartitions(1, Duration.ofMillis(600));
		RedisCacheService cache = cache(policy);
		CountDownLatch release = new CountDownLatch(1);
		Store store = new Store();
		// A class, not a lambda: the values are read as its type argument.
		WriteBehind writeBehind = writeBehind(policy, new WriteBehindWriter<Product>() {

			@Override
			public void write(String name, Map<String, Product> upserts, Set<String> deletes) throws Exception {
				release.await(10, TimeUnit.SECONDS);
				store.write(name, upserts, deletes);
			}

		});
		writeBehind.start();
		cache.set("products:1", new Product(1, "first", 1), Duration.ofMinutes(5));
		Thread.sleep(300);
		// While the holder is busy with its batch, an earlier holder that has not noticed it lost the lease reads on.
		cache.set("products:2", new Product(2, "second", 1), Duration.ofMinutes(5));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		byte[] stream = keys.stream("products", 0).getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			List<?> read = connection.streamCommands()
				.xReadGroup(org.springframework.data.redis.connection.stream.Consumer.from(WriteBehindKeys.GROUP, "zombie"),
						org.springframework.data.redis.connection.stream.StreamOffset.create(stream,
								org.springframework.data.redis.connection.stream.ReadOffset.lastConsumed()));
			assertThat(read).hasSize(1);
		}
		release.countDown();
		await(() -> store.rows.size() == 2, Duration.ofSeconds(10));
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(5));
	}

	@Test
	void aSecondInstanceTakesOverThePartitionsOfOneThatStopped() throws Exception {
		WriteBehindPolicy policy = policy(2, 100, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store first = new Store();
		Store second = new Store();
		WriteBehind one = writeBehind(policy, first);
		WriteBehind other = writeBehind(policy, second);
		one.start();
		Thread.sleep(300);
		other.start();
		cache.set("products:a", new Product(1, "a", 1), Duration.ofMinutes(5));
		await(() -> first.rows.size() == 1, Duration.ofSeconds(5));
		assertThat(second.rows).isEmpty();
		one.stop();
		cache.set("products:b", new Product(2, "b", 1), Duration.ofMinutes(5));
		cache.set("products:c", new Product(3, "c", 1), Duration.ofMinutes(5));
		await(() -> second.rows.size() == 2, Duration.ofSeconds(10));
	}


	@Test
	void writesMadeAfterThePartitionStreamWasDeletedArePersisted() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		cache.set("products:1", new Product(1, "before", 1), Duration.ofMinutes(5));
		await(() -> store.rows.containsKey("products:1"), Duration.ofSeconds(5));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			// An operator deletes the stream, or Redis restarts empty: its consumer group goes with it.
			connection.keyCommands().del(keys.stream("products", 0).getBytes(StandardCharsets.UTF_8));
		}
		cache.set("products:2", new Product(2, "after", 1), Duration.ofMinutes(5));
		await(() -> store.rows.containsKey("products:2"), Duration.ofSeconds(5));
	}

	@Test
	void aWriteNoLongerPendingForThisInstanceIsNotDeletedWhenItsDeadLetteringIsRefused() {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		byte[] stream = keys.stream("products", 0).getBytes(StandardCharsets.UTF_8);
		RedisCalls calls = calls();
		WriteBehindLog log = new WriteBehindLog(calls, keys);
		// A value its writer cannot read: it would be dead-lettered.
		byte[] json = "\"not a product\"".getBytes(StandardCharsets.UTF_8);
		String id = log.set("products:1", json, json, 60_000);
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			connection.streamCommands().xGroupCreate(stream, WriteBehindKeys.GROUP,
					org.springframework.data.redis.connection.stream.ReadOffset.from("0-0"));
			// The new holder of the partition claimed the write: it is pending for it, not for "old".
			assertThat(connection.streamCommands()
				.xReadGroup(org.springframework.data.redis.connection.stream.Consumer.from(WriteBehindKeys.GROUP, "new"),
						org.springframework.data.redis.connection.stream.StreamOffset.create(stream,
								org.springframework.data.redis.connection.stream.ReadOffset.lastConsumed())))
				.hasSize(1);
		}
		WriteBehindBatches old = new WriteBehindBatches("products", 0, policy, new Store(), JsonMapper.builder().build(),
				calls, keys, "old", new CacheMetrics(this.meters), () -> true);
		old.flush(List.of(new WriteBehindEntry(id, Map.of("key", "products:1".getBytes(StandardCharsets.UTF_8), "op",
				"set".getBytes(StandardCharsets.UTF_8), "payload", json))));
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			// Still there for the new holder to persist or dead-letter: neither instance may drop it.
			assertThat(connection.streamCommands().xLen(stream)).isEqualTo(1);
		}
	}

	/**
	 * A write given up on leaves the backlog in the same step that makes it a dead letter: an observer reading both
	 * streams at once never sees it in both (before, the stream entry was deleted by a second call, and a crash
	 * between the two left an acknowledged write counted in {@code backlog()} for good).
	 */
	@Test
	void aDeadLetteredWriteLeavesTheBacklogInTheSameStepThatMakesItADeadLetter() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		byte[] stream = keys.stream("products", 0).getBytes(StandardCharsets.UTF_8);
		byte[] dead = keys.deadLetters("products", 0).getBytes(StandardCharsets.UTF_8);
		RedisCalls calls = calls();
		WriteBehindLog log = new WriteBehindLog(calls, keys);
		// Values the writer cannot read: each is dead-lettered at once.
		byte[] json = "\"not a product\"".getBytes(StandardCharsets.UTF_8);
		int writes = 200;
		List<WriteBehindEntry> entries = new ArrayList<>();
		for (int i = 0; i < writes; i++) {
			String id = log.set("products:" + i, json, json, 60_000);
			entries.add(new WriteBehindEntry(id, Map.of("key", ("products:" + i).getBytes(StandardCharsets.UTF_8), "op",
					"set".getBytes(StandardCharsets.UTF_8), "payload", json)));
		}
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			connection.streamCommands().xGroupCreate(stream, WriteBehindKeys.GROUP,
					org.springframework.data.redis.connection.stream.ReadOffset.from("0-0"));
			assertThat(connection.streamCommands()
				.xReadGroup(org.springframework.data.redis.connection.stream.Consumer.from(WriteBehindKeys.GROUP, "holder"),
						org.springframework.data.redis.connection.stream.StreamReadOptions.empty().count(writes),
						org.springframework.data.redis.connection.stream.StreamOffset.create(stream,
								org.springframework.data.redis.connection.stream.ReadOffset.lastConsumed())))
				.hasSize(writes);
		}
		WriteBehindBatches batches = new WriteBehindBatches("products", 0, policy, new Store(),
				JsonMapper.builder().build(), calls, keys, "holder", new CacheMetrics(this.meters), () -> true);
		java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
		List<Long> counted = new CopyOnWriteArrayList<>();
		Thread observer = new Thread(() -> {
			try (RedisConnection connection = this.factories.get(0).getConnection()) {
				while (!done.get()) {
					// Both lengths at one moment (one script: the streams share a slot).
					List<Object> lengths = connection.scriptingCommands()
						.eval("return {redis.call('XLEN', KEYS[1]), redis.call('XLEN', KEYS[2])}".getBytes(
								StandardCharsets.UTF_8), org.springframework.data.redis.connection.ReturnType.MULTI, 2,
								stream, dead);
					counted.add((Long) lengths.get(0) + (Long) lengths.get(1));
				}
			}
		});
		observer.start();
		try {
			// The observer watches before the first dead letter: otherwise it could look only after the flush and
			// prove nothing.
			await(() -> !counted.isEmpty(), Duration.ofSeconds(5));
			batches.flush(entries);
		}
		finally {
			done.set(true);
			observer.join(10_000);
		}
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			assertThat(connection.streamCommands().xLen(stream)).as("backlog").isZero();
			assertThat(connection.streamCommands().xLen(dead)).as("dead letters").isEqualTo(writes);
		}
		assertThat(counted).as("observations").isNotEmpty();
		assertThat(counted).as("writes counted in the backlog and the dead letters at once").containsOnly((long) writes);
	}

	/**
	 * A write an older version acknowledged (dead-lettered) but did not delete from the stream (its separate XDEL
	 * skipped by a crash or a failed call) leaves the backlog when the partition is taken over, instead of counting in
	 * {@code backlog()} and against {@code max-backlog} for good; writes not read yet stay and are persisted.
	 */
	@Test
	void anAcknowledgedWriteAnOlderVersionLeftInTheStreamLeavesTheBacklogWhenThePartitionIsTakenOver() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		byte[] stream = keys.stream("products", 0).getBytes(StandardCharsets.UTF_8);
		RedisCacheService cache = cache(policy);
		cache.set("products:1", new Product(1, "lamp", 1), Duration.ofMinutes(5));
		cache.set("products:2", new Product(2, "desk", 1), Duration.ofMinutes(5));
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			connection.streamCommands().xGroupCreate(stream, WriteBehindKeys.GROUP,
					org.springframework.data.redis.connection.stream.ReadOffset.from("0-0"));
			List<org.springframework.data.redis.connection.stream.ByteRecord> read = connection.streamCommands()
				.xReadGroup(org.springframework.data.redis.connection.stream.Consumer.from(WriteBehindKeys.GROUP, "old"),
						org.springframework.data.redis.connection.stream.StreamReadOptions.empty().count(1),
						org.springframework.data.redis.connection.stream.StreamOffset.create(stream,
								org.springframework.data.redis.connection.stream.ReadOffset.lastConsumed()));
			assertThat(read).hasSize(1);
			// The older version's dead-letter script acknowledged it; its XDEL never came.
			connection.streamCommands().xAck(stream, WriteBehindKeys.GROUP, read.get(0).getId());
		}
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		assertThat(writeBehind.backlog("products")).as("before: the leftover counts").isEqualTo(2);
		writeBehind.start();
		await(() -> store.rows.containsKey("products:2"), Duration.ofSeconds(10));
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(5));
		assertThat(store.rows).as("the acknowledged write is not persisted again").doesNotContainKey("products:1");
	}

	@Test
	void deadLettersDroppedByTheirBoundAreCounted() throws Exception {
		WriteBehindPolicy policy = new WriteBehindPolicy(1, 100, Duration.ofMillis(10), 1,
				RetryBackoff.fixed(Duration.ofMillis(10)), Duration.ofSeconds(2), 0, 10, Duration.ofSeconds(5));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		// A bad key and a good one in turn: with keys going through alone, the failing ones are bad keys, not an
		// outage of the store, and are dead-lettered.
		for (int i = 0; i < 500; i++) {
			if (i % 2 == 0) {
				store.failing.add("products:" + i);
			}
			cache.set("products:" + i, new Product(i, "p", 1), Duration.ofMinutes(5));
		}
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		await(() -> writeBehind.backlog("products") == 0, Duration.ofSeconds(20));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		long kept;
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			kept = connection.streamCommands().xLen(keys.deadLetters("products", 0).getBytes(StandardCharsets.UTF_8));
		}
		assertThat(kept).isLessThan(250);
		assertThat(writeBehindCount("dead-lettered")).isEqualTo(250);
		assertThat(writeBehindCount("dead-letters-trimmed")).isEqualTo(250 - kept);
	}

	@Test
	void aHolderWhoseLeaseWasTakenDoesNotHandItsNextBatchToTheWriter() throws Exception {
		// A long lease: the renewal (every third of it) does not come during the test.
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10)).withPartitions(1, Duration.ofSeconds(30));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		cache.set("products:1", new Product(1, "first", 1), Duration.ofMinutes(5));
		await(() -> store.rows.containsKey("products:1"), Duration.ofSeconds(5));
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		byte[] lease = keys.lease("products", 0).getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			// Another instance holds the partition now (this one was paused past its lease).
			connection.stringCommands().set(lease, "another".getBytes(StandardCharsets.UTF_8));
		}
		cache.set("products:2", new Product(2, "second", 1), Duration.ofMinutes(5));
		Thread.sleep(500);
		assertThat(store.rows).doesNotContainKey("products:2");
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			connection.keyCommands().del(lease);
		}
		// Not lost: the partition's next holder (here this one again) claims and persists it.
		await(() -> store.rows.containsKey("products:2"), Duration.ofSeconds(5));
	}

	@Test
	void purgedDeadLettersLeaveNoLatestWriteRecordBehind() throws Exception {
		WriteBehindPolicy policy = policy(1, 100, Duration.ofMillis(10));
		RedisCacheService cache = cache(policy);
		Store store = new Store();
		store.failing.add("products:1");
		WriteBehind writeBehind = writeBehind(policy, store);
		writeBehind.start();
		cache.set("products:1", new Product(1, "refused", 1), Duration.ofMinutes(5));
		await(() -> !writeBehind.deadLetters("products", 10).isEmpty(), Duration.ofSeconds(10));
		assertThat(writeBehind.purge("products")).isEqualTo(1);
		assertThat(writeBehind.deadLetters("products", 10)).isEmpty();
		WriteBehindKeys keys = new WriteBehindKeys(this.naming, new WriteBehindSettings(Map.of("products", policy)));
		try (RedisConnection connection = this.factories.get(0).getConnection()) {
			assertThat(connection.hashCommands().hLen(keys.latest("products", 0).getBytes(StandardCharsets.UTF_8)))
				.isZero();
		}
	}

}
