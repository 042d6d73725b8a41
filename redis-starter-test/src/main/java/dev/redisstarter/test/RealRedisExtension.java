package dev.redisstarter.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts the deployment a {@link RealRedis} test class asks for before its tests run, and injects it into
 * test parameters of a matching type.
 */
public final class RealRedisExtension implements BeforeAllCallback, ParameterResolver {

	@Override
	public void beforeAll(ExtensionContext context) {
		SharedRedis.get(topology(context));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return RedisDeployment.class.isAssignableFrom(type)
				&& type.isInstance(SharedRedis.get(topology(extensionContext)));
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
			throws ParameterResolutionException {
		return SharedRedis.get(topology(extensionContext));
	}

	private static Topology topology(ExtensionContext context) {
		return context.getTestClass()
			.flatMap((testClass) -> AnnotationSupport.findAnnotation(testClass, RealRedis.class))
			.map(RealRedis::value)
			.orElse(Topology.STANDALONE);
	}

}
