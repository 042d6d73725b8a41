package dev.redisstarter.core;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Collects the methods of beans that carry an annotation, checked as each bean is created (a wrong method stops
 * start-up, naming it); a lifecycle bean starts what they declare when the context starts.
 *
 * @param <A> the annotation
 * @param <D> what one annotated method declares
 */
public abstract class AnnotatedMethodCollector<A extends Annotation, D> implements BeanPostProcessor {

	private final Class<A> annotationType;

	private final List<D> declarations = new ArrayList<>();

	private final Set<Class<?>> without = ConcurrentHashMap.newKeySet();

	/**
	 * A collector of one annotation.
	 * @param annotationType the annotation
	 */
	protected AnnotatedMethodCollector(Class<A> annotationType) {
		this.annotationType = annotationType;
	}

	/**
	 * Checks one annotated method.
	 * @param bean the bean (possibly a proxy)
	 * @param method the method, as declared on the bean's class
	 * @param annotation the merged annotation
	 * @return what the method declares
	 * @throws InvalidAnnotationException when the method cannot serve
	 */
	protected abstract D declare(Object bean, Method method, A annotation);

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> target = AopProxyUtils.ultimateTargetClass(bean);
		if (this.without.contains(target) || target.getName().startsWith("org.springframework.")) {
			return bean;
		}
		Map<Method, A> methods = MethodIntrospector.selectMethods(target,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						this.annotationType));
		if (methods.isEmpty()) {
			this.without.add(target);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			D declaration = declare(bean, method, annotation);
			synchronized (this.declarations) {
				this.declarations.add(declaration);
			}
		});
		return bean;
	}

	/**
	 * What the annotated methods found so far declare.
	 * @return a copy
	 */
	public List<D> declarations() {
		synchronized (this.declarations) {
			return List.copyOf(this.declarations);
		}
	}

}
