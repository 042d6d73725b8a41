package dev.redisstarter.test;

import java.util.Map;

/**
 * A running Redis deployment (a single server, a Cluster or a Sentinel group) described as the
 * {@code spring.data.redis.*} properties that connect an application to it.
 */
public interface RedisDeployment {

	/**
	 * The Spring Boot properties that point an application at this deployment.
	 * @return property names mapped to their values
	 */
	Map<String, String> springDataRedisProperties();

	/**
	 * The same properties in {@code name=value} form, for
	 * {@code ApplicationContextRunner.withPropertyValues(...)} and {@code @SpringBootTest(properties = ...)}.
	 * @return the properties as {@code name=value} pairs
	 */
	default String[] propertyValues() {
		return springDataRedisProperties().entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

}
