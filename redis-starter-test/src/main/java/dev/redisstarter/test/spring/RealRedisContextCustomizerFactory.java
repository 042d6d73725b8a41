package dev.redisstarter.test.spring;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

import dev.redisstarter.test.RealRedis;

/**
 * Gives every Spring test class annotated with {@link RealRedis} the {@code spring.data.redis.*} properties
 * of its deployment. Registered in {@code META-INF/spring.factories}.
 */
public final class RealRedisContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		RealRedis annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, RealRedis.class);
		return (annotation != null) ? new RealRedisContextCustomizer(annotation.value()) : null;
	}

}
