package dev.redisstarter.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Keeps the property names renamed for "one spelling per capability" working for one release: each property set
 * under an old prefix is also offered under the new one (with the lowest precedence, so a value set under the new
 * name wins), and one WARN per old property names both. The deprecations with their replacements are also in
 * {@code additional-spring-configuration-metadata.json}, for IDEs.
 * <p>
 * {@code redis.starter.rate-limit} and {@code redis.starter.ratelimit} are one name to Spring's binder (it ignores
 * dashes), so the old spelling binds by itself; it is listed here for the warning.
 */
public final class RenamedPropertiesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the old properties under their new names. */
	public static final String SOURCE_NAME = "redisStarterRenamedProperties";

	/** An old property prefix and the prefix that replaces it. */
	record Rename(String oldPrefix, String newPrefix) {
	}

	static final List<Rename> RENAMES = List.of(new Rename("redis.starter.messaging.streams", "redis.starter.stream"),
			new Rename("redis.starter.rate-limit", "redis.starter.ratelimit"));

	private final Log log;

	/**
	 * Creates the post-processor; Spring Boot calls this constructor.
	 * @param logs the factory of logs replayed once logging is set up
	 */
	public RenamedPropertiesEnvironmentPostProcessor(DeferredLogFactory logs) {
		this(logs.getLog(RenamedPropertiesEnvironmentPostProcessor.class));
	}

	RenamedPropertiesEnvironmentPostProcessor(Log log) {
		this.log = log;
	}

	@Override
	public int getOrder() {
		// After application.yml and profiles are loaded.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(SOURCE_NAME)) {
			return;
		}
		Map<String, Object> renamed = new LinkedHashMap<>();
		for (PropertySource<?> propertySource : environment.getPropertySources()) {
			if (!(propertySource instanceof EnumerablePropertySource<?>)) {
				continue;
			}
			for (ConfigurationPropertySource source : ConfigurationPropertySources.from(propertySource)) {
				if (source instanceof IterableConfigurationPropertySource names) {
					names.stream().forEach((name) -> rename(source, name, renamed));
				}
			}
		}
		if (!renamed.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, renamed));
		}
	}

	private void rename(ConfigurationPropertySource source, ConfigurationPropertyName name,
			Map<String, Object> renamed) {
		String oldName = name.toString();
		for (Rename rename : RENAMES) {
			if (oldName.startsWith(rename.oldPrefix() + ".") || oldName.startsWith(rename.oldPrefix() + "[")) {
				String newName = rename.newPrefix() + oldName.substring(rename.oldPrefix().length());
				ConfigurationProperty property = source.getConfigurationProperty(name);
				// A higher-precedence source seen first keeps its value.
				if (property != null && !renamed.containsKey(newName)) {
					renamed.put(newName, property.getValue());
					this.log.warn("Property '" + oldName + "' is deprecated and will stop working in the next release: "
							+ "use '" + newName + "'");
				}
				return;
			}
		}
	}

}
