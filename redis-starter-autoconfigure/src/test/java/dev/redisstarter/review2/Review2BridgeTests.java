package dev.redisstarter.review2;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.TypeFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.redisstarter.autoconfigure.CacheAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

@RealRedis
class Review2BridgeTests {

	@Test
	void names() throws Exception {
		Class<?> c = Class.forName("dev.redisstarter.cache.DescribedValueType");
		Constructor<?> k = c.getDeclaredConstructor(TypeFactory.class, List.class);
		k.setAccessible(true);
		Object t = k.newInstance(JsonMapper.builder().build().getTypeFactory(), List.of("dev.redisstarter"));
		Method refused = c.getDeclaredMethod("firstRefusedName", String.class);
		refused.setAccessible(true);
		Method describe = c.getDeclaredMethod("describe", Object.class);
		describe.setAccessible(true);
		Method rt = c.getDeclaredMethod("roundTrips", Object.class);
		rt.setAccessible(true);
		for (String n : List.of("java.lang.Class", "java.util.List<java.lang.Class>", "java.util.Map<java.lang.String, java.lang.Runtime>",
				"java.util.List<?>", "[Ljava.lang.Runtime;", "java.lang.Runtime[]", "java.time.chrono.HijrahChronology",
				"java.util.List<\u001fjava.lang.Runtime>", "java.util.List<java.lang.Runtime\u001f>", "dev.redisstarter.X<java.lang.Thread>")) {
			System.out.println("REVIEW2 refused(" + n.replace("\u001f", "\\u001f") + ") = " + refused.invoke(t, n));
		}
		for (Object v : List.of(new String[] { "a" }, new int[] { 1 }, List.of(List.of("a")), java.util.Map.of("k", List.of(1)),
				new Shelf(List.of(new Dog("rex"), new Cat("tom"))), new Box(new Dog("rex")))) {
			System.out.println("REVIEW2 describe(" + v.getClass().getSimpleName() + ") = " + describe.invoke(t, v)
					+ " roundTrips=" + rt.invoke(t, v));
		}
	}

	interface Animal {
	}

	record Dog(String name) implements Animal {
	}

	record Cat(String name) implements Animal {
	}

	record Shelf(List<Animal> pets) {
	}

	record Box(Object content) {
	}

	@Test
	void nestedPolymorphismIsCachedButNeverReadBack() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, CacheAutoConfiguration.class,
					org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.withPropertyValues("redis.starter.key-prefix=rv2b-" + UUID.randomUUID() + ":",
					"redis.starter.cache.spring-cache.enabled=true",
					"redis.starter.cache.spring-cache.allowed-packages=dev.redisstarter")
			.withUserConfiguration(Config.class)
			.run((context) -> {
				Shelves s = context.getBean(Shelves.class);
				for (int i = 0; i < 3; i++) {
					s.shelf();
				}
				Object box = null;
				for (int i = 0; i < 2; i++) {
					box = s.box().content();
				}
				System.out.println("REVIEW2 shelf calls=" + s.calls() + " box content class=" + box.getClass());
				assertThat(s.calls()).as("shelf: cached or refused once, not a permanent miss").isLessThan(3);
			});
	}

	@Test
	void bootsRegistrarBindsBridgeCaches() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, CacheAutoConfiguration.class,
					org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration.class,
					org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.withPropertyValues("redis.starter.key-prefix=rv2m-" + UUID.randomUUID() + ":",
					"redis.starter.cache.spring-cache.enabled=true",
					"redis.starter.cache.caches.boxes.ttl=1h",
					"redis.starter.cache.spring-cache.allowed-packages=dev.redisstarter")
			.withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
			.withUserConfiguration(Config.class)
			.run((context) -> {
				if (context.getStartupFailure() != null) { context.getStartupFailure().printStackTrace(); }
				Shelves s = context.getBean(Shelves.class);
				s.shelf();
				s.box();
				s.box();
				var registry = context.getBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class);
				System.out.println("REVIEW2 cache.gets meters: " + registry.find("cache.gets").meters().stream()
					.map((m) -> m.getId().getTag("cache") + "/" + m.getId().getTag("result") + "=" + m.measure().iterator().next().getValue()).toList());
			});
	}

	public static class Shelves {

		final AtomicInteger calls = new AtomicInteger();
		public int calls() { return this.calls.get(); }

		@Cacheable("shelves")
		public Shelf shelf() {
			this.calls.incrementAndGet();
			return new Shelf(List.of(new Dog("rex"), new Cat("tom")));
		}

		@Cacheable("boxes")
		public Box box() {
			return new Box(new Dog("rex"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Config {

		@Bean
		Shelves shelves() {
			return new Shelves();
		}

	}

}
