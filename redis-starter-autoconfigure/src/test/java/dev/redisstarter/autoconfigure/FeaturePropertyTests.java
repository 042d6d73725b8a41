package dev.redisstarter.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.RedisDeadlineExceededException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@link Feature} names properties that exist: a deadline message must not send a user to a property the
 * starter does not bind (it once named redis.starter.stream.timeout while streams lived elsewhere).
 */
class FeaturePropertyTests {

	@Test
	void everyFeaturesTimeoutPropertyIsBoundByTheStarter() throws Exception {
		Set<String> properties = starterProperties();
		assertThat(properties).isNotEmpty();
		for (Feature feature : Feature.values()) {
			assertThat(properties).as(feature.name()).contains(feature.timeoutProperty());
			assertThat(new RedisDeadlineExceededException(feature, Duration.ofMillis(5)).getMessage())
				.contains("(" + feature.timeoutProperty() + ")");
		}
	}

	@Test
	void everyFeaturesPropertyGroupAndMeterPrefixAreOneWord() throws Exception {
		Set<String> properties = starterProperties();
		for (Feature feature : Feature.values()) {
			assertThat(feature.meterPrefix()).isEqualTo("redis.starter." + feature.propertyName());
			if (feature != Feature.APPLICATION) {
				assertThat(properties).as(feature.name())
					.contains("redis.starter." + feature.propertyName() + ".enabled");
			}
		}
	}

	@Test
	void everyDeprecatedPropertyNamesAReplacementTheStarterBinds() throws Exception {
		Set<String> properties = starterProperties();
		int deprecated = 0;
		for (JsonNode property : metadata().get("properties")) {
			if (property.has("deprecation")) {
				deprecated++;
				assertThat(properties).as(property.get("name").asString())
					.contains(property.get("deprecation").get("replacement").asString());
			}
		}
		assertThat(deprecated).isGreaterThan(0);
	}

	/** The properties the starter binds, from its generated configuration metadata (deprecated names left out). */
	private static Set<String> starterProperties() throws Exception {
		Set<String> names = new HashSet<>();
		for (JsonNode property : metadata().get("properties")) {
			if (!property.has("deprecation")) {
				names.add(property.get("name").asString());
			}
		}
		return names;
	}

	private static JsonNode metadata() throws Exception {
		for (URL url : Collections.list(FeaturePropertyTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			if (url.toString().contains("redis-starter-autoconfigure")) {
				try (InputStream in = url.openStream()) {
					return JsonMapper.builder().build().readTree(in);
				}
			}
		}
		throw new IllegalStateException("The starter's configuration metadata is not on the class path");
	}

}
