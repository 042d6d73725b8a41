package dev.redisstarter.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every class named in a registration file exists, so a rename cannot leave a stale name behind. */
class AutoConfigurationRegistrationTests {

	private static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	@Test
	void everyRegisteredAutoConfigurationLoadsAndIsAnAutoConfiguration() throws Exception {
		List<String> names = ourLines(IMPORTS);
		assertThat(names).isNotEmpty();
		for (String name : names) {
			Class<?> type = Class.forName(name);
			assertThat(type).hasAnnotation(AutoConfiguration.class);
		}
	}

	@Test
	void everyClassInSpringFactoriesLoads() throws Exception {
		for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
			if (!url.toString().contains("redis-starter")) {
				continue;
			}
			Properties factories = new Properties();
			try (InputStream in = url.openStream()) {
				factories.load(in);
			}
			for (String key : factories.stringPropertyNames()) {
				for (String name : factories.getProperty(key).split(",")) {
					if (!name.isBlank()) {
						assertThat(Class.forName(name.strip())).isNotNull();
					}
				}
			}
		}
	}

	private List<String> ourLines(String resource) throws IOException {
		List<String> names = new ArrayList<>();
		for (URL url : Collections.list(getClass().getClassLoader().getResources(resource))) {
			if (url.toString().contains("redis-starter-autoconfigure")) {
				try (InputStream in = url.openStream()) {
					new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
						.map(String::strip)
						.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
						.forEach(names::add);
				}
			}
		}
		return names;
	}

}
