package dev.redisstarter.autoconfigure;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnEnabled}. */
class OnEnabledCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnEnabled.class.getName());
		boolean matchIfMissing = (Boolean) attributes.get("matchIfMissing");
		ConditionOutcome outcome = null;
		for (String name : (String[]) attributes.get("value")) {
			outcome = outcome(context, name, matchIfMissing);
			if (!outcome.isMatch()) {
				return outcome;
			}
		}
		return outcome;
	}

	private static ConditionOutcome outcome(ConditionContext context, String name, boolean matchIfMissing) {
		String value = context.getEnvironment().getProperty(name);
		if (value == null) {
			return matchIfMissing ? ConditionOutcome.match(name + " is not set (on by default)")
					: ConditionOutcome.noMatch(name + " is not set (off by default)");
		}
		return switch (value.strip().toLowerCase(Locale.ROOT)) {
			case "true" -> ConditionOutcome.match(name + " is true");
			case "false" -> ConditionOutcome.noMatch(name + " is false: set it to true (or remove it) to turn this on");
			default -> throw new InvalidConfigurationPropertyValueException(name, value, "It must be true or false");
		};
	}

}
