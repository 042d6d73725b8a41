package dev.redisstarter.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The session service's behaviour, run against each topology by a subclass. */
abstract class SessionContractTests {

	private static final KeyNaming KEYS = new KeyNaming("sesstest:");

	record Item(String sku, int quantity) {
	}

	record Cart(List<Item> items, String currency) {
	}

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	final List<SessionEvent> events = new CopyOnWriteArrayList<>();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	abstract RedisDeployment deployment();

	@AfterEach
	void close() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	private LettuceConnectionFactory factory() {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		return factory;
	}

	/** A service with connections of its own, standing in for one application instance. */
	SessionService service(SessionSettings settings) {
		JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters));
		return new RedisSessionService(factory(), KEYS, codec, settings, new SessionMetrics(this.meters),
				(event) -> this.events.add((SessionEvent) event));
	}

	private StringRedisTemplate redis() {
		return new StringRedisTemplate(factory());
	}

	private static String uniqueUser() {
		return "user-" + UUID.randomUUID();
	}

	private static String indexKey(String user) {
		return KEYS.hashTagged(Feature.SESSION, SessionIds.tag(user), "u", user);
	}

	private static String sessionKey(String id) {
		return KEYS.hashTagged(Feature.SESSION, SessionIds.tagOf(id), "s", id);
	}

	@Test
	void createsAndReadsASessionWithTypedAttributes() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		Cart cart = new Cart(List.of(new Item("lamp", 2)), "EUR");
		Session created = sessions.create(user, Map.of("cart", cart, "theme", "dark"));
		assertThat(created.id()).hasSize(27).matches("[A-Za-z0-9_-]{22}\\.[0-9a-f]{4}");
		Session read = sessions.get(created.id()).orElseThrow();
		assertThat(read.userId()).isEqualTo(user);
		assertThat(read.attribute("cart", Cart.class)).contains(cart);
		assertThat(read.attribute("cart", new TypeReference<Map<String, Object>>() {
		})).hasValueSatisfying((map) -> assertThat(map).containsEntry("currency", "EUR"));
		assertThat(read.attribute("theme", String.class)).contains("dark");
		assertThat(read.attribute("missing", String.class)).isEmpty();
		assertThat(read.maxExpiresAt()).isEqualTo(read.createdAt().plus(SessionSettings.DEFAULTS.maxLifetime()));
		assertThat(this.events).extracting(SessionEvent::getKind).containsExactly(SessionEvent.Kind.CREATED);
		assertThat(sessions.get("not-a-session-id")).isEmpty();
		assertThat(sessions.get(created.id().substring(0, 22) + ".ffff")).isEmpty();
	}

	@Test
	void readingSlidesTheExpiryAndTouchOnReadOffDoesNot() throws Exception {
		SessionSettings settings = SessionSettings.DEFAULTS.withExpiry(Duration.ofMillis(600), Duration.ofSeconds(30));
		SessionService sliding = service(settings);
		SessionService still = service(settings.withTouchOnRead(false));
		String a = sliding.create(uniqueUser(), Map.of()).id();
		String b = still.create(uniqueUser(), Map.of()).id();
		for (int i = 0; i < 4; i++) {
			Thread.sleep(300);
			assertThat(sliding.get(a)).as("slid by each read").isPresent();
			still.get(b);
		}
		assertThat(still.get(b)).as("reads without touch do not extend").isEmpty();
		assertThat(sliding.refresh(a).expiresAt()).isAfter(java.time.Instant.now());
	}

	@Test
	void theAbsoluteLifetimeEndsABusySession() throws Exception {
		SessionService sessions = service(SessionSettings.DEFAULTS.withExpiry(Duration.ofMillis(500), Duration.ofMillis(1200)));
		String id = sessions.create(uniqueUser(), Map.of()).id();
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		int reads = 0;
		while (sessions.get(id).isPresent()) {
			reads++;
			assertThat(System.nanoTime()).as("still alive after 3 s of reads").isLessThan(deadline);
			Thread.sleep(100);
		}
		assertThat(reads).isGreaterThan(8);
	}

	@Test
	void theIndexOfAUserWithAThousandExpiredSessionsIsEmptyAfterTheNextOperation() throws Exception {
		// A long absolute lifetime keeps the index itself alive, so only pruning can empty it.
		SessionService sessions = service(SessionSettings.DEFAULTS.withExpiry(Duration.ofMillis(800), Duration.ofMinutes(10)));
		String user = uniqueUser();
		for (int i = 0; i < 1000; i++) {
			sessions.create(user, Map.of("n", i));
		}
		Thread.sleep(900);
		assertThat(redis().opsForZSet().zCard(indexKey(user))).as("expired ids before pruning").isPositive();
		assertThat(sessions.listForUser(user)).isEmpty();
		assertThat(redis().opsForZSet().zCard(indexKey(user))).isZero();
	}

	@Test
	void listForUserReturnsOnlyLiveSessions() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		String first = sessions.create(user, Map.of("n", 1)).id();
		String second = sessions.create(user, Map.of("n", 2)).id();
		sessions.create(uniqueUser(), Map.of());
		redis().delete(sessionKey(first));
		assertThat(sessions.listForUser(user)).extracting(Session::id).containsExactly(second);
		assertThat(redis().opsForZSet().zCard(indexKey(user))).isEqualTo(1);
	}

	@Test
	void listForUserReportsExpiryFromNowNotFromTheLastAccess() throws Exception {
		SessionService sessions = service(SessionSettings.DEFAULTS.withTouchOnRead(false));
		String user = uniqueUser();
		sessions.create(user, Map.of());
		Thread.sleep(1200);
		Session listed = sessions.listForUser(user).get(0);
		Duration left = Duration.between(java.time.Instant.now(), listed.expiresAt());
		// The session was not touched: it expires ttl after its creation, 1.2 s ago.
		assertThat(left).isBetween(SessionSettings.DEFAULTS.ttl().minusMillis(1700),
				SessionSettings.DEFAULTS.ttl().minusMillis(700));
	}

	@Test
	void aServerThatRefusesASessionScriptIsReportedNamingTheOperation() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		// The index is not a sorted set: the list script fails inside Redis, as on a server that refuses its keys.
		redis().opsForValue().set(indexKey(user), "not an index");
		assertThatExceptionOfType(SessionStoreUnavailableException.class).isThrownBy(() -> sessions.listForUser(user))
			.withMessageContaining("list the sessions");
		redis().delete(indexKey(user));
	}

	@Test
	void aMissingSessionIsReportedWithoutItsIdWhichIsABearerToken() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String id = sessions.create(uniqueUser(), Map.of()).id();
		sessions.destroy(id);
		assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> sessions.refresh(id))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(id));
	}

	@Test
	void twentyConcurrentLoginsNeverLeaveMoreThanTheLimitAliveWhenEvicting() throws Exception {
		List<SessionService> instances = List.of(
				service(SessionSettings.DEFAULTS.withLimit(3, SessionSettings.LimitPolicy.EVICT_OLDEST)),
				service(SessionSettings.DEFAULTS.withLimit(3, SessionSettings.LimitPolicy.EVICT_OLDEST)),
				service(SessionSettings.DEFAULTS.withLimit(3, SessionSettings.LimitPolicy.EVICT_OLDEST)));
		String user = uniqueUser();
		AtomicInteger worst = new AtomicInteger();
		concurrently(20, (i) -> {
			instances.get(i % 3).create(user, Map.of("login", i));
			worst.accumulateAndGet(instances.get(0).listForUser(user).size(), Math::max);
		});
		assertThat(instances.get(0).listForUser(user)).hasSize(3);
		assertThat(worst.get()).isLessThanOrEqualTo(3);
		assertThat(this.events.stream().filter((event) -> event.getKind() == SessionEvent.Kind.EVICTED)).hasSize(17);
		assertThat(this.meters.get("redis.starter.session.events").tag("outcome", "evicted").counter().count()).isEqualTo(17);
	}

	@Test
	void twentyConcurrentLoginsGetExactlyTheLimitWhenRefusing() throws Exception {
		SessionService sessions = service(SessionSettings.DEFAULTS.withLimit(3, SessionSettings.LimitPolicy.REFUSE));
		String user = uniqueUser();
		AtomicInteger refused = new AtomicInteger();
		concurrently(20, (i) -> {
			try {
				sessions.create(user, Map.of());
			}
			catch (SessionLimitExceededException ex) {
				assertThat(ex).hasMessageContaining("3 sessions").hasMessageNotContaining(user);
				refused.incrementAndGet();
			}
		});
		assertThat(refused.get()).isEqualTo(17);
		assertThat(sessions.listForUser(user)).hasSize(3);
	}

	@Test
	void rotateLeavesTheOldIdUnusable() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		Session before = sessions.create(user, Map.of("role", "guest"));
		Session after = sessions.rotate(before.id());
		assertThat(after.id()).isNotEqualTo(before.id());
		assertThat(after.userId()).isEqualTo(user);
		assertThat(after.attribute("role", String.class)).contains("guest");
		assertThat(sessions.get(before.id())).isEmpty();
		assertThat(sessions.listForUser(user)).extracting(Session::id).containsExactly(after.id());
		assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> sessions.rotate(before.id()));
	}

	@Test
	void updateMergesAndReplaceReplaces() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String id = sessions.create(uniqueUser(), Map.of("a", 1, "b", 2)).id();
		java.util.Map<String, Object> change = new java.util.HashMap<>();
		change.put("b", 20);
		change.put("c", 30);
		Session merged = sessions.update(id, change);
		assertThat(merged.attributes().keySet()).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(merged.attribute("b", Integer.class)).contains(20);
		java.util.Map<String, Object> removal = new java.util.HashMap<>();
		removal.put("a", null);
		assertThat(sessions.update(id, removal).attributes().keySet()).containsExactlyInAnyOrder("b", "c");
		assertThat(sessions.replace(id, Map.of("z", true)).attributes().keySet()).containsExactly("z");
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> sessions.update("AAAAAAAAAAAAAAAAAAAAAA.0000", Map.of()));
	}

	@Test
	void dataOverTheSizeBoundIsRefusedBeforeAnythingIsWritten() {
		SessionService sessions = service(SessionSettings.DEFAULTS.withBounds(1000, 64));
		String user = uniqueUser();
		assertThatExceptionOfType(InputLimitExceededException.class)
			.isThrownBy(() -> sessions.create(user, Map.of("blob", "x".repeat(2000))))
			.withMessageContaining("redis.starter.session.max-size")
			.withMessageNotContaining("xxxx");
		assertThat(redis().hasKey(indexKey(user))).isFalse();
		assertThatExceptionOfType(InputLimitExceededException.class)
			.isThrownBy(() -> sessions.create("u".repeat(65), Map.of()))
			.withMessageContaining("redis.starter.session.max-user-id-length")
			.withMessageNotContaining("uuuu");
	}

	@Test
	void aSessionCannotGrowPastTheSizeBoundThroughMerges() {
		SessionService sessions = service(SessionSettings.DEFAULTS.withBounds(1000, 64));
		String id = sessions.create(uniqueUser(), Map.of("a", "x".repeat(600))).id();
		assertThatExceptionOfType(InputLimitExceededException.class)
			.isThrownBy(() -> sessions.update(id, Map.of("b", "y".repeat(600))))
			.satisfies((ex) -> assertThat(ex.getSize()).isGreaterThan(1200));
		assertThat(sessions.get(id).orElseThrow().attributes()).containsOnlyKeys("a");
		// Replacing the large attribute with a small one fits, and a replace counts only what it writes.
		assertThat(sessions.update(id, Map.of("a", "small", "b", "y".repeat(600))).attributes()).containsOnlyKeys("a", "b");
		assertThat(sessions.replace(id, Map.of("c", "z".repeat(900))).attributes()).containsOnlyKeys("c");
	}

	@Test
	void destroyAllForUserUnderConcurrentCreatesLeavesNothingHalfWritten() throws Exception {
		SessionService creator = service(SessionSettings.DEFAULTS);
		SessionService destroyer = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger created = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			for (int t = 0; t < 2; t++) {
				tasks.add(pool.submit(() -> {
					while (running.get()) {
						creator.create(user, Map.of("x", 1));
						created.incrementAndGet();
					}
					return null;
				}));
			}
			// Destroy only once creations are under way, so that the two really race.
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (created.get() < 5 && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			int destroyed = 0;
			for (int i = 0; i < 30; i++) {
				destroyed += destroyer.destroyAllForUser(user);
			}
			running.set(false);
			for (Future<?> task : tasks) {
				task.get(30, TimeUnit.SECONDS);
			}
			assertThat(destroyed).isPositive();
		}
		finally {
			pool.shutdown();
		}
		StringRedisTemplate redis = redis();
		Set<String> indexed = new HashSet<>(redis.opsForZSet().range(indexKey(user), 0, -1));
		Set<String> stored = new HashSet<>();
		String pattern = KEYS.hashTagged(Feature.SESSION, SessionIds.tag(user), "s", "*").replace("{", "\\{").replace("}", "\\}");
		try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining((key) -> stored.add(key.substring(key.lastIndexOf(':') + 1)));
		}
		stored.removeIf((id) -> !user.equals(redis.opsForHash().get(sessionKey(id), "user")));
		assertThat(stored).as("every stored session is indexed, and every indexed one stored").isEqualTo(indexed);
		assertThat(destroyer.destroyAllForUser(user)).isEqualTo(indexed.size());
		assertThat(destroyer.listForUser(user)).isEmpty();
	}

	@Test
	void corruptSessionDataReadsAsAbsentIsRemovedAndCounted() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		String id = sessions.create(user, Map.of("cart", "ok")).id();
		redis().opsForHash().put(sessionKey(id), "a:cart", "{not json");
		assertThat(sessions.get(id)).isEmpty();
		assertThat(redis().hasKey(sessionKey(id))).isFalse();
		assertThat(redis().opsForZSet().zCard(indexKey(user))).isZero();
		assertThat(this.meters.get(DecodeFailureReporter.METER_NAME).counter().count()).isEqualTo(1);
	}

	@Test
	void aPlainStringAttributeTheApplicationsMapperRefusesIsCorruptAsAnyOtherAttribute() {
		// The application's mapper reads strings of 10 characters at most: a stored attribute holding a longer one
		// is refused by the codec, so the session is corrupt, whether the string is read without a parser or not.
		JsonMapper strict = JsonMapper
			.builder(JsonFactory.builder()
				.streamReadConstraints(StreamReadConstraints.builder().maxStringLength(10).build())
				.build())
			.build();
		SessionService sessions = new RedisSessionService(factory(), KEYS,
				new JsonCodec(strict, new DecodeFailureReporter(this.meters)), SessionSettings.DEFAULTS,
				new SessionMetrics(this.meters), (event) -> this.events.add((SessionEvent) event));
		String user = uniqueUser();
		String fits = sessions.create(user, Map.of("theme", "dark")).id();
		redis().opsForHash().put(sessionKey(fits), "a:theme", "\"ten-chars!\"");
		assertThat(sessions.get(fits).orElseThrow().attribute("theme", String.class)).contains("ten-chars!");
		String tooLong = sessions.create(user, Map.of("theme", "dark")).id();
		redis().opsForHash().put(sessionKey(tooLong), "a:theme", "\"eleven-char\"");
		assertThat(sessions.get(tooLong)).isEmpty();
		assertThat(redis().hasKey(sessionKey(tooLong))).isFalse();
		assertThat(this.meters.get(DecodeFailureReporter.METER_NAME).counter().count()).isEqualTo(1);
		assertThat(sessions.listForUser(user)).extracting(Session::id).containsExactly(fits);
	}

	@Test
	void aSessionHashMissingAFieldOrHoldingATimeThatIsNoNumberIsCorruptAndRemoved() {
		// Reads without touch: a touching read writes 'accessed' afresh (and so mends it).
		SessionService sessions = service(SessionSettings.DEFAULTS.withTouchOnRead(false));
		String user = uniqueUser();
		List<java.util.function.Consumer<String>> corruptions = List.of(
				(key) -> redis().opsForHash().delete(key, "created"),
				(key) -> redis().opsForHash().delete(key, "accessed"),
				(key) -> redis().opsForHash().delete(key, "absolute"),
				(key) -> redis().opsForHash().put(key, "created", "yesterday"),
				(key) -> redis().opsForHash().put(key, "accessed", "12.5"),
				(key) -> redis().opsForHash().put(key, "absolute", "never"));
		for (java.util.function.Consumer<String> corruption : corruptions) {
			String id = sessions.create(user, Map.of("theme", "dark")).id();
			corruption.accept(sessionKey(id));
			assertThat(sessions.get(id)).isEmpty();
			assertThat(redis().hasKey(sessionKey(id))).isFalse();
		}
		assertThat(sessions.listForUser(user)).isEmpty();
		String broken = sessions.create(user, Map.of()).id();
		redis().opsForHash().put(sessionKey(broken), "created", "soon");
		assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> sessions.refresh(broken));
	}

	@Test
	void aSessionHashWithoutItsUserIsCorruptAndRemoved() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		String id = sessions.create(user, Map.of("theme", "dark")).id();
		redis().opsForHash().delete(sessionKey(id), "user");
		assertThat(sessions.get(id)).isEmpty();
		assertThat(redis().hasKey(sessionKey(id))).as("removed, not left until it expires").isFalse();
		assertThat(sessions.listForUser(user)).isEmpty();
		assertThat(redis().opsForZSet().zCard(indexKey(user))).isZero();
	}

	@Test
	void aSessionsOwnIdleTimeSlidesItsExpiryAndIsNoAttribute() {
		SessionService sessions = service(SessionSettings.DEFAULTS.withTouchOnRead(false));
		String user = uniqueUser();
		String id = sessions.create(user, Map.of("theme", "dark")).id();
		redis().opsForHash().put(sessionKey(id), "idle", "5000");
		Session refreshed = sessions.refresh(id);
		assertThat(refreshed.attributes()).containsOnlyKeys("theme");
		assertThat(refreshed.expiresAt()).isBetween(refreshed.lastAccessedAt().plusMillis(4000),
				refreshed.lastAccessedAt().plusMillis(5000));
		redis().opsForHash().put(sessionKey(id), "idle", "a while");
		Session read = sessions.get(id).orElseThrow();
		assertThat(read.attributes()).containsOnlyKeys("theme");
		assertThat(read.userId()).isEqualTo(user);
		// An idle time that is no number is read as none (SessionHash): a touching read slides by the settings' ttl,
		// and does not fail in read.lua on every read until the session expires.
		Session slid = sessions.refresh(id);
		assertThat(slid.expiresAt()).isEqualTo(slid.lastAccessedAt().plus(SessionSettings.DEFAULTS.ttl()));
	}

	@Test
	void destroyEndsOneSessionAndPublishesIt() {
		SessionService sessions = service(SessionSettings.DEFAULTS);
		String user = uniqueUser();
		String keep = sessions.create(user, Map.of()).id();
		String end = sessions.create(user, Map.of()).id();
		assertThat(sessions.destroy(end)).isTrue();
		assertThat(sessions.destroy(end)).isFalse();
		assertThat(sessions.listForUser(user)).extracting(Session::id).containsExactly(keep);
		assertThat(this.events).filteredOn((event) -> event.getKind() == SessionEvent.Kind.DESTROYED)
			.extracting(SessionEvent::getSessionId, SessionEvent::getUserId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(end, user));
	}

	private static void concurrently(int count, java.util.function.IntConsumer task) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(count);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			for (int i = 0; i < count; i++) {
				int index = i;
				tasks.add(pool.submit(() -> {
					start.await();
					task.accept(index);
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : tasks) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdown();
		}
	}

}
