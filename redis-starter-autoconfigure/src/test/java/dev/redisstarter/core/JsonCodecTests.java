package dev.redisstarter.core;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Tag("compat")
@RealRedis
class JsonCodecTests {

	record Price(BigDecimal amount, String currency) {
	}

	record Product(long id, String name, List<String> tags, Map<String, Price> prices, Optional<String> note,
			Instant added) {
	}

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters));

	private static final Product PRODUCT = new Product(7, "Lamp", List.of("home", "light"),
			Map.of("EUR", new Price(new BigDecimal("19.90"), "EUR")), Optional.of("fragile"),
			Instant.parse("2026-01-02T03:04:05Z"));

	@Test
	void roundTripsARecordThroughRedis(RedisServer server) {
		byte[] stored = throughRedis(server, "codec:record", this.codec.encode(PRODUCT));
		assertThat(this.codec.decode("codec:record", stored, Product.class)).contains(PRODUCT);
	}

	@Test
	void roundTripsNestedGenericsByTypeReferenceAndByReflectedType(RedisServer server) throws Exception {
		Map<String, List<Product>> catalogue = Map.of("lamps", List.of(PRODUCT, PRODUCT));
		byte[] stored = throughRedis(server, "codec:generic", this.codec.encode(catalogue));
		assertThat(this.codec.decode("codec:generic", stored, new TypeReference<Map<String, List<Product>>>() {
		})).contains(catalogue);
		Type returnType = Catalogue.class.getMethod("byCategory").getGenericReturnType();
		Optional<Map<String, List<Product>>> viaType = this.codec.decode("codec:generic", stored, returnType);
		assertThat(viaType).contains(catalogue);
	}

	@Test
	void roundTripsOptionalValues(RedisServer server) throws Exception {
		Type optionalProduct = Catalogue.class.getMethod("find").getGenericReturnType();
		byte[] present = throughRedis(server, "codec:optional", this.codec.encode(Optional.of(PRODUCT)));
		assertThat(this.codec.<Optional<Product>>decode("codec:optional", present, optionalProduct))
			.contains(Optional.of(PRODUCT));
		assertThat(this.codec.decode("codec:optional", this.codec.encode(Optional.empty()), Product.class)).isEmpty();
	}

	@Test
	void writesNoClassNames() {
		String json = this.codec.encodeToString(PRODUCT);
		assertThat(json).doesNotContain("dev.redisstarter").doesNotContain("@class").contains("\"name\":\"Lamp\"");
	}

	@Test
	void aCorruptPayloadReadsAsAbsentAndIsCounted(RedisServer server) {
		byte[] stored = throughRedis(server, "codec:corrupt", "{\"id\": 7, \"name\": ".getBytes(StandardCharsets.UTF_8));
		assertThat(this.codec.decode("codec:corrupt", stored, Product.class)).isEmpty();
		assertThat(this.codec.decode("codec:corrupt", "\"just a string\"".getBytes(StandardCharsets.UTF_8), Product.class))
			.isEmpty();
		assertThat(this.meters.get(DecodeFailureReporter.METER_NAME).tag("type", "Product").counter().count())
			.isEqualTo(2);
	}

	@Test
	void aMissingKeyOrJsonNullReadsAsAbsentWithoutCountingAFailure() {
		assertThat(this.codec.decode("codec:none", null, Product.class)).isEmpty();
		assertThat(this.codec.decode("codec:none", "null".getBytes(StandardCharsets.UTF_8), Product.class)).isEmpty();
		assertThat(this.meters.find(DecodeFailureReporter.METER_NAME).counter()).isNull();
	}

	@Test
	void aValueThatCannotBeWrittenThrowsNamingItsType() {
		assertThatExceptionOfType(ValueEncodingException.class).isThrownBy(() -> this.codec.encode(new Unwritable()))
			.withMessageContaining(Unwritable.class.getName());
	}

	static class Unwritable {

		public String getBroken() {
			throw new IllegalStateException("boom");
		}

	}

	interface Catalogue {

		Map<String, List<Product>> byCategory();

		Optional<Product> find();

	}

	private static byte[] throughRedis(RedisServer server, String key, byte[] value) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(server.host(), server.port());
		factory.afterPropertiesSet();
		factory.start();
		try {
			RedisTemplate<String, byte[]> template = new RedisTemplate<>();
			template.setConnectionFactory(factory);
			template.setKeySerializer(RedisSerializer.string());
			template.setValueSerializer(RedisSerializer.byteArray());
			template.afterPropertiesSet();
			template.opsForValue().set(key, value);
			return template.opsForValue().get(key);
		}
		finally {
			factory.destroy();
		}
	}

}
