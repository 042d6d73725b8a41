package dev.redisstarter.sample;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.util.ClassUtils;

import dev.redisstarter.sample.catalogue.ProductCatalogue;
import dev.redisstarter.sample.inventory.Inventory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's annotations are plain Spring AOP advisors: the application needs no AspectJ weaver (the starter does
 * not bring one), and {@code @WithLock} and {@code @TaggedCacheable} beans are still advised.
 */
@SpringBootTest
class AnnotationsWithoutAspectJTests {

	@Autowired
	private Inventory inventory;

	@Autowired
	private ProductCatalogue catalogue;

	@Test
	void theAnnotatedBeansAreAdvisedWithNoAspectJWeaverOnTheClasspath() {
		assertThat(ClassUtils.isPresent("org.aspectj.weaver.Advice", null)).as("the weaver is not on the classpath")
			.isFalse();
		assertThat(advisorsOf(this.inventory)).anyMatch((name) -> name.contains("Lock"));
		assertThat(advisorsOf(this.catalogue)).anyMatch((name) -> name.contains("Cache"));
	}

	private static String[] advisorsOf(Object bean) {
		assertThat(bean).isInstanceOf(Advised.class);
		return Arrays.stream(((Advised) bean).getAdvisors())
			.map(Advisor::getAdvice)
			.map((advice) -> advice.getClass().getSimpleName())
			.toArray(String[]::new);
	}

}
