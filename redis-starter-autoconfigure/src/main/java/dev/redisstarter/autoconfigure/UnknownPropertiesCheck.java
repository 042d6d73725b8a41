package dev.redisstarter.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Looks at every {@code redis.starter.*} name the application sets, before any bean is created, and stops start-up
 * ({@link UnknownPropertyException}) or logs one WARN per name when the starter binds no such name: Spring's binder
 * ignores a misspelled key, so {@code redis.starter.queue.defaults.atempts=10} would otherwise run with 3 attempts.
 * <p>
 * Environment variables are not looked at: their names ({@code REDIS_STARTER_QUEUE_DEFAULTS_MAX_STALLED}) lose the
 * dashes the check needs, and the binder reads them by trying names it knows, not by listing them.
 */
class UnknownPropertiesCheck implements BeanFactoryPostProcessor {

	private static final Log log = LogFactory.getLog(UnknownPropertiesCheck.class);

	static final String MODE_PROPERTY = StarterPropertyNames.PREFIX + ".unknown-properties";

	private final ConfigurableEnvironment environment;

	UnknownPropertiesCheck(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		List<UnknownPropertyException.Entry> unknown = find(beanFactory.getBeanClassLoader());
		if (unknown.isEmpty()) {
			return;
		}
		UnknownProperties mode = Binder.get(this.environment)
			.bind(MODE_PROPERTY, UnknownProperties.class)
			.orElse(UnknownProperties.FAIL);
		if (mode == UnknownProperties.FAIL) {
			throw new UnknownPropertyException(unknown);
		}
		for (UnknownPropertyException.Entry entry : unknown) {
			log.warn("Unknown property '" + entry.name() + "'" + ((entry.origin() != null) ? " (" + entry.origin() + ")" : "")
					+ " is ignored: did you mean " + entry.nearest() + "? (" + MODE_PROPERTY + "=warn)");
		}
	}

	List<UnknownPropertyException.Entry> find(@Nullable ClassLoader classLoader) {
		StarterPropertyNames names = StarterPropertyNames.load(classLoader);
		ConfigurationPropertyName prefix = ConfigurationPropertyName.of(StarterPropertyNames.PREFIX);
		Set<String> seen = new LinkedHashSet<>();
		List<UnknownPropertyException.Entry> unknown = new ArrayList<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable) || skipped(source)) {
				continue;
			}
			iterable.stream().filter(prefix::isAncestorOf).forEach((name) -> {
				StarterPropertyNames.Unknown problem = names.check(name);
				if (problem != null && seen.add(name.toString())) {
					ConfigurationProperty property = source.getConfigurationProperty(name);
					Origin origin = (property != null) ? property.getOrigin() : null;
					unknown.add(new UnknownPropertyException.Entry(name.toString(), problem.nearest(),
							(origin != null) ? origin.toString() : sourceName(source)));
				}
			});
		}
		return unknown;
	}

	private static boolean skipped(ConfigurationPropertySource source) {
		Object underlying = source.getUnderlyingSource();
		if (underlying instanceof PropertySource<?> propertySource) {
			String name = propertySource.getName();
			return name.equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
					|| name.equals(RenamedPropertiesEnvironmentPostProcessor.SOURCE_NAME);
		}
		return false;
	}

	private static @Nullable String sourceName(ConfigurationPropertySource source) {
		return (source.getUnderlyingSource() instanceof PropertySource<?> propertySource)
				? "from property source '" + propertySource.getName() + "'" : null;
	}

}
