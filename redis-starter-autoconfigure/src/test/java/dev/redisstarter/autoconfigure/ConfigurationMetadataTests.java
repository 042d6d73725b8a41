package dev.redisstarter.autoconfigure;

import java.io.File;
import java.io.FileReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.queue.QueueSettings;
import dev.redisstarter.messaging.stream.StreamSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated configuration metadata (what IDEs show) carries the defaults of every queue and stream setting, and
 * those defaults are the ones the starter runs with.
 */
class ConfigurationMetadataTests {

	/** Settings whose default is "unset" (no limit, no age bound): there is no value to show. */
	private static final Set<String> UNSET_BY_DEFAULT = Set.of("redis.starter.queue.defaults.attempt-timeout",
			"redis.starter.stream.defaults.max-age");

	@Test
	void everyQueueAndStreamDefaultIsInTheGeneratedMetadata() {
		Map<String, JsonNode> properties = generatedProperties();
		Map<String, JsonNode> defaults = new LinkedHashMap<>();
		properties.forEach((name, property) -> {
			if (name.startsWith("redis.starter.queue.defaults.") || name.startsWith("redis.starter.stream.defaults.")) {
				defaults.put(name, property);
			}
		});
		assertThat(defaults).hasSizeGreaterThan(30);
		defaults.forEach((name, property) -> {
			if (!UNSET_BY_DEFAULT.contains(name)) {
				assertThat(property.has("defaultValue")).as("defaultValue of %s", name).isTrue();
			}
		});
		assertThat(properties.get("redis.starter.queue.defaults.attempts").get("defaultValue").asInt()).isEqualTo(3);
		assertThat(properties.get("redis.starter.queue.defaults.backoff.max").get("defaultValue").asString())
			.isEqualTo("5m");
		assertThat(properties.get("redis.starter.stream.defaults.max-deliveries").get("defaultValue").asInt())
			.isEqualTo(5);
		assertThat(properties.get("redis.starter.stream.defaults.backoff.max").get("defaultValue").asString())
			.isEqualTo("1m");
		assertThat(properties.get("redis.starter.unknown-properties").get("defaultValue").asString()).isEqualTo("fail");
	}

	@Test
	void theDefaultsShownAreTheOnesTheStarterRunsWith() {
		assertThat(RedisStarterQueueAutoConfiguration.defaults(new QueueDefaultsProperties()))
			.isEqualTo(QueueSettings.DEFAULTS);
		assertThat(RedisStarterStreamsAutoConfiguration.defaults(new StreamDefaultsProperties()))
			.isEqualTo(StreamSettings.DEFAULTS);
		assertThat(new NearCacheProperties().policy()).isEqualTo(dev.redisstarter.cache.NearCachePolicy.OFF);
	}

	@Test
	void theEnumeratedSettingsHaveValueHintsWithDescriptionsInTheGeneratedMetadata() {
		Map<String, JsonNode> hints = new LinkedHashMap<>();
		for (JsonNode hint : generatedMetadata().path("hints")) {
			hints.put(hint.path("name").asString(), hint);
		}
		Map<String, List<String>> expected = Map.of("redis.starter.resilience.eviction-policy-check",
				List.of("warn", "fail", "ignore"), "redis.starter.unknown-properties", List.of("fail", "warn"),
				"redis.starter.messaging.listener.when-full", List.of("block", "drop"),
				"redis.starter.session.limit-policy", List.of("evict-oldest", "refuse"),
				"redis.starter.ratelimit.http.headers", List.of("ietf", "legacy", "both", "none"));
		Map<String, JsonNode> properties = generatedProperties();
		expected.forEach((name, values) -> {
			assertThat(properties).as("a hint for a property that exists").containsKey(name);
			assertThat(hints).as("hints of %s", name).containsKey(name);
			List<String> hinted = new ArrayList<>();
			for (JsonNode value : hints.get(name).path("values")) {
				hinted.add(value.path("value").asString());
				assertThat(value.path("description").asString()).as("description of %s=%s", name, value)
					.isNotBlank();
			}
			assertThat(hinted).as("hinted values of %s", name).containsExactlyElementsOf(values);
		});
	}

	@Test
	void theAutoConfigureProcessorWritesConditionMetadataSoBootFiltersWithoutLoadingTheClasses() throws Exception {
		File file = new File("target/classes/META-INF/spring-autoconfigure-metadata.properties");
		assertThat(file).exists();
		Properties metadata = new Properties();
		try (Reader reader = new FileReader(file, StandardCharsets.UTF_8)) {
			metadata.load(reader);
		}
		assertThat(metadata.getProperty(RedisStarterMessagingAutoConfiguration.class.getName() + ".ConditionalOnClass"))
			.contains("org.springframework.data.redis.annotation.RedisListener");
		assertThat(metadata.getProperty(RedisStarterQueueAutoConfiguration.class.getName() + ".AutoConfigureAfter"))
			.contains(RedisStarterAutoConfiguration.class.getName());
	}

	private static JsonNode generatedMetadata() {
		// The module's own output, not a copy from another jar on the class path.
		File metadata = new File("target/classes/META-INF/spring-configuration-metadata.json");
		assertThat(metadata).exists();
		return JsonMapper.builder().build().readTree(metadata);
	}

	private static Map<String, JsonNode> generatedProperties() {
		// The module's own output, not a copy from another jar on the class path.
		File metadata = new File("target/classes/META-INF/spring-configuration-metadata.json");
		assertThat(metadata).exists();
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (JsonNode property : JsonMapper.builder().build().readTree(metadata).path("properties")) {
			properties.put(property.path("name").asString(), property);
		}
		return properties;
	}

}
