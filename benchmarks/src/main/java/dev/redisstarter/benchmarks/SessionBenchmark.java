package dev.redisstarter.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.session.RedisSessionService;
import dev.redisstarter.session.Session;
import dev.redisstarter.session.SessionMetrics;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.session.SessionSettings;

/**
 * Reading a session with its expiry slid, and creating one: the starter's {@link SessionService} against
 * Spring Session Data Redis's {@code RedisSessionRepository} and {@code RedisIndexedSessionRepository}, each
 * doing {@code findById}, setting the last access time and {@code save} (what Spring Session's filter does on
 * every request), with their default serialization; and raw Lettuce sending the starter's {@code read.lua} with the
 * same key and arguments (what the starter's read costs on top of the client). Each thread reads its own session.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionBenchmark {

	private static final Map<String, Object> DATA = Map.of("theme", "dark", "locale", "en-GB", "cart", "3 items");

	private final AtomicInteger threads = new AtomicInteger();

	private BenchmarkRedis redis;

	private LettuceConnectionFactory factory;

	private SessionService starter;

	private RedisSessionRepository plain;

	private RedisIndexedSessionRepository indexed;

	private RedisClient client;

	private StatefulRedisConnection<String, String> raw;

	private String readSha;

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.factory = this.redis.connectionFactory();
		this.starter = new RedisSessionService(this.factory, new KeyNaming("bench:"),
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)),
				SessionSettings.DEFAULTS.withExpiry(Duration.ofMinutes(1), Duration.ofMinutes(1)),
				new SessionMetrics(new SimpleMeterRegistry()), null);
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setConnectionFactory(this.factory);
		template.setKeySerializer(RedisSerializer.string());
		template.setHashKeySerializer(RedisSerializer.string());
		template.afterPropertiesSet();
		this.plain = new RedisSessionRepository(template);
		this.plain.setDefaultMaxInactiveInterval(Duration.ofMinutes(1));
		this.indexed = new RedisIndexedSessionRepository(template);
		this.indexed.setDefaultMaxInactiveInterval(Duration.ofMinutes(1));
		this.client = RedisClient.create(RedisURI.create(this.redis.url()));
		this.raw = this.client.connect(StringCodec.UTF8);
		this.readSha = this.raw.sync()
			.scriptLoad(LuaScript.load("dev/redisstarter/session/read.lua", List.class).text());
	}

	@TearDown
	public void tearDown() {
		this.raw.close();
		this.client.shutdown();
		this.factory.destroy();
		this.redis.close();
	}

	/** Each thread's sessions, one per store. */
	@State(Scope.Thread)
	public static class PerThread {

		String user;

		String starterId;

		String plainId;

		String indexedId;

		/** The key of a session of the starter's, read by raw Lettuce. */
		String rawKey;

		int created;

		@Setup
		public void setUp(SessionBenchmark benchmark) {
			this.user = "user-" + benchmark.threads.incrementAndGet();
			this.starterId = benchmark.starter.create(this.user, DATA).id();
			this.plainId = idOf(createAndSave(benchmark.plain));
			this.indexedId = createAndSave(benchmark.indexed).getId();
			String rawId = benchmark.starter.create(this.user + "-raw", DATA).id();
			// Found with SCAN (the key's hash tag is the starter's own business); KEYS has no place even here.
			io.lettuce.core.ScanArgs match = io.lettuce.core.ScanArgs.Builder.matches("bench:*" + rawId).limit(1000);
			io.lettuce.core.KeyScanCursor<String> cursor = benchmark.raw.sync().scan(match);
			while (cursor.getKeys().isEmpty() && !cursor.isFinished()) {
				cursor = benchmark.raw.sync().scan(cursor, match);
			}
			this.rawKey = cursor.getKeys().get(0);
		}

	}

	@Benchmark
	public Session starterGet(PerThread thread) {
		return this.starter.get(thread.starterId).orElseThrow();
	}

	@Benchmark
	public Object rawLettuceGet(PerThread thread) {
		// read.lua as the starter sends it: slide the expiry (touch on read, the default), idle time of a minute.
		return this.raw.sync().evalsha(this.readSha, ScriptOutputType.MULTI, new String[] { thread.rawKey }, "1",
				"60000");
	}

	@Benchmark
	public Object springSessionFindByIdAndSave(PerThread thread) {
		return findAndSave(this.plain, thread.plainId);
	}

	@Benchmark
	public Object springIndexedFindByIdAndSave(PerThread thread) {
		return findAndSave(this.indexed, thread.indexedId);
	}

	@Benchmark
	public Session starterCreate(PerThread thread) {
		return this.starter.create(thread.user + "-" + (thread.created++ % 1000), DATA);
	}

	@Benchmark
	public Object springSessionCreate() {
		return createAndSave(this.plain);
	}

	@Benchmark
	public Object springIndexedCreate() {
		return createAndSave(this.indexed);
	}

	private static <S extends org.springframework.session.Session> S createAndSave(SessionRepository<S> repository) {
		S session = repository.createSession();
		DATA.forEach(session::setAttribute);
		repository.save(session);
		return session;
	}

	private static String idOf(org.springframework.session.Session session) {
		return session.getId();
	}

	private static <S extends org.springframework.session.Session> S findAndSave(SessionRepository<S> repository,
			String id) {
		S session = repository.findById(id);
		if (session == null) {
			throw new IllegalStateException("The session expired during the benchmark");
		}
		// What Spring Session's SessionRepositoryFilter does on every request before it saves.
		session.setLastAccessedTime(java.time.Instant.now());
		repository.save(session);
		return session;
	}


}
