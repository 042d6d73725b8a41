package dev.redisstarter.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * When the application needs one of the starter's beans (a {@code SessionService}, a {@code DistributedLock}, ...)
 * and there is none, names the property that switched it off, before Spring Boot's general "required a bean of
 * type ... that could not be found".
 */
class MissingStarterBeanFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException>
		implements Ordered {

	private final Environment environment;

	MissingStarterBeanFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
		ResolvableType type = cause.getResolvableType();
		Class<?> missing = (type != null) ? type.resolve() : null;
		if (missing == null || !missing.getName().startsWith("dev.redisstarter.")) {
			return null;
		}
		String property = disabledBy(missing.getPackageName());
		if (property == null) {
			return null;
		}
		return new FailureAnalysis("A bean of type " + missing.getName() + " is needed, but the Redis Starter does not"
				+ " create it: " + property + " is false.",
				"Set " + property + " to true (or remove it), or define a bean of type " + missing.getSimpleName()
						+ " yourself.",
				cause);
	}

	private @Nullable String disabledBy(String packageName) {
		if (isFalse("redis.starter.enabled")) {
			return "redis.starter.enabled";
		}
		String feature = packageName.substring("dev.redisstarter.".length()).split("\\.")[0];
		String property = switch (feature) {
			case "cache" -> "redis.starter.cache.enabled";
			case "session" -> "redis.starter.session.enabled";
			case "lock" -> "redis.starter.lock.enabled";
			case "ratelimit" -> "redis.starter.ratelimit.enabled";
			case "leaderboard" -> "redis.starter.leaderboard.enabled";
			default -> null;
		};
		return (property != null && isFalse(property)) ? property : null;
	}

	private boolean isFalse(String property) {
		String value = this.environment.getProperty(property);
		return value != null && value.strip().toLowerCase(Locale.ROOT).equals("false");
	}

}
