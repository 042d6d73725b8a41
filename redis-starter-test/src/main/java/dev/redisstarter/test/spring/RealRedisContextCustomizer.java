package dev.redisstarter.test.spring;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

/**
 * Adds the shared deployment's connection properties as the first property source. A record, so that two
 * test classes asking for the same topology share one cached application context.
 */
record RealRedisContextCustomizer(Topology topology) implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "realRedis";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		Map<String, Object> properties = new LinkedHashMap<>(SharedRedis.get(this.topology).springDataRedisProperties());
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

}
