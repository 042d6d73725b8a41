package dev.redisstarter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
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
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;

/**
 * GET of one 1 KB JSON value: raw Lettuce (as a string, and as bytes decoded by Jackson), Spring's
 * {@link StringRedisTemplate}, and a template reading bytes decoded by the starter's {@link JsonCodec}.
 * Every variant shares one connection between all benchmark threads, as applications do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecGetBenchmark {

	private static final String KEY = "bench:product:1";

	private BenchmarkRedis redis;

	private RedisClient client;

	private StatefulRedisConnection<String, String> lettuceStrings;

	private StatefulRedisConnection<byte[], byte[]> lettuceBytes;

	private LettuceConnectionFactory factory;

	private StringRedisTemplate stringTemplate;

	private RedisTemplate<String, byte[]> bytesTemplate;

	private JsonMapper mapper;

	private JsonCodec codec;

	private final byte[] keyBytes = KEY.getBytes(StandardCharsets.UTF_8);

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.mapper = JsonMapper.builder().build();
		this.codec = new JsonCodec(this.mapper, new DecodeFailureReporter(null));
		this.client = RedisClient.create(RedisURI.create(this.redis.url()));
		this.lettuceStrings = this.client.connect(StringCodec.UTF8);
		this.lettuceBytes = this.client.connect(ByteArrayCodec.INSTANCE);
		this.factory = this.redis.connectionFactory();
		this.stringTemplate = new StringRedisTemplate(this.factory);
		this.bytesTemplate = new RedisTemplate<>();
		this.bytesTemplate.setConnectionFactory(this.factory);
		this.bytesTemplate.setKeySerializer(RedisSerializer.string());
		this.bytesTemplate.setValueSerializer(RedisSerializer.byteArray());
		this.bytesTemplate.afterPropertiesSet();
		byte[] json = this.codec.encode(Product.sample(1));
		if (json.length < 1000 || json.length > 1100) {
			throw new IllegalStateException("The benchmark value should be about 1 KB, is " + json.length + " bytes");
		}
		this.lettuceBytes.sync().set(this.keyBytes, json);
	}

	@TearDown
	public void tearDown() {
		this.lettuceStrings.close();
		this.lettuceBytes.close();
		this.client.shutdown();
		this.factory.destroy();
		this.redis.close();
	}

	@Benchmark
	public String lettuceGetString() {
		return this.lettuceStrings.sync().get(KEY);
	}

	@Benchmark
	public Product lettuceGetAndJacksonDecode() {
		return this.mapper.readValue(this.lettuceBytes.sync().get(this.keyBytes), Product.class);
	}

	@Benchmark
	public String stringRedisTemplateGet() {
		return this.stringTemplate.opsForValue().get(KEY);
	}

	@Benchmark
	public Product starterCodecGet() {
		return this.codec.decode(KEY, this.bytesTemplate.opsForValue().get(KEY), Product.class).orElseThrow();
	}

}
