package dev.redisstarter.messaging.pubsub;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.data.redis.annotation.RedisListenerAnnotationBeanPostProcessor;
import org.springframework.data.redis.config.MethodRedisListenerEndpoint;
import org.springframework.data.redis.config.RedisListenerConfigUtils;
import org.springframework.data.redis.config.RedisListenerEndpointRegistry;

/**
 * Spring's {@code @RedisListener} processor, with the starter's endpoints: each {@code @RedisListener} method
 * is found, resolved and invoked exactly as Spring does, but subscribed and dispatched by the starter
 * ({@link StarterRedisListenerEndpoint}); {@link KeyEventListener} methods are found here too. Registered under
 * Spring's own bean name, so Spring Boot's {@code @EnableRedisListeners} configuration backs off.
 */
public class StarterRedisListenerAnnotationBeanPostProcessor extends RedisListenerAnnotationBeanPostProcessor {

	private @Nullable BeanFactory beanFactory;

	private final List<KeyEventEndpoint> pendingKeyEventEndpoints = new ArrayList<>();

	private final Set<Class<?>> withoutKeyEventListeners = ConcurrentHashMap.newKeySet();

	private boolean registryReady;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.beanFactory = beanFactory;
	}

	private @Nullable RedisListenerSupport support() {
		return (this.beanFactory != null)
				? this.beanFactory.getBeanProvider(RedisListenerSupport.class).getIfAvailable() : null;
	}

	@Override
	public MethodRedisListenerEndpoint createEndpoint(RedisListener redisListener, Method method, Object bean) {
		MethodRedisListenerEndpoint spring = super.createEndpoint(redisListener, method, bean);
		String container = resolve(redisListener.container());
		if (container != null && !container.isEmpty()
				&& !container.equals(RedisListenerConfigUtils.REDIS_MESSAGE_LISTENER_BEAN_NAME)) {
			// A container of the application's own (another Redis, say): Spring's endpoint on it, as asked.
			return spring;
		}
		StarterRedisListenerEndpoint endpoint = new StarterRedisListenerEndpoint(bean, method, this::support);
		endpoint.setId(spring.getId());
		endpoint.setTopic(spring.getTopic());
		endpoint.setConsumes(resolve(redisListener.consumes()));
		return endpoint;
	}

	private @Nullable String resolve(String value) {
		return (this.beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.resolveEmbeddedValue(value) : value;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Object result = super.postProcessAfterInitialization(bean, beanName);
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.withoutKeyEventListeners.contains(targetClass)
				|| targetClass.getName().startsWith("org.springframework.")) {
			return result;
		}
		Map<Method, KeyEventListener> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<KeyEventListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, KeyEventListener.class));
		if (methods.isEmpty()) {
			this.withoutKeyEventListeners.add(targetClass);
			return result;
		}
		methods.forEach((method, annotation) -> register(new KeyEventEndpoint(bean,
				AopUtils.selectInvocableMethod(method, bean.getClass()), annotation, this::support)));
		return result;
	}

	private synchronized void register(KeyEventEndpoint endpoint) {
		if (this.registryReady) {
			registry().registerListener(endpoint, null);
		}
		else {
			this.pendingKeyEventEndpoints.add(endpoint);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		super.afterSingletonsInstantiated();
		synchronized (this) {
			RedisListenerEndpointRegistry registry = registry();
			this.pendingKeyEventEndpoints.forEach((endpoint) -> registry.registerListener(endpoint, null));
			this.pendingKeyEventEndpoints.clear();
			this.registryReady = true;
		}
	}

	@SuppressWarnings("NullAway")
	private RedisListenerEndpointRegistry registry() {
		return this.beanFactory.getBean(RedisListenerConfigUtils.REDIS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME,
				RedisListenerEndpointRegistry.class);
	}

}
