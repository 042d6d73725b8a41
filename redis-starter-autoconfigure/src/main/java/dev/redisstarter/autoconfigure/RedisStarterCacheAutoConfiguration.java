package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.cache.CacheAnnotationAdvisor;
import dev.redisstarter.cache.CacheAnnotationInterceptor;
import dev.redisstarter.cache.CacheAnnotationMethods;
import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.CachePolicy;
import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.cache.CacheWarming;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.cache.RedisStarterCacheManager;
import dev.redisstarter.cache.WriteBehind;
import dev.redisstarter.cache.WriteBehindPolicy;
import dev.redisstarter.cache.WriteBehindSettings;
import dev.redisstarter.cache.WriteBehindWriter;
import dev.redisstarter.cache.actuate.WriteBehindEndpoint;
import dev.redisstarter.cache.web.CacheExceptionHandler;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.StarterThreads;

/**
 * A {@link CacheService} from {@code redis.starter.cache.*}, and {@code @TaggedCacheable}/{@code @EvictTags}
 * through an advisor. Off with {@code redis.starter.cache.enabled=false};
 * gives way to an application's own.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class,
		beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnEnabled("redis.starter.cache.enabled")
public final class RedisStarterCacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheSettings redisStarterCacheSettings(RedisStarterProperties properties,
			ObjectProvider<CacheSettingsCustomizer> customizers) {
		CacheProperties cache = properties.getCache();
		CachePolicy defaults = new CachePolicy(cache.getDefaultTtl(), cache.getNullTtl(), cache.getTtlJitter(),
				cache.isEarlyRefresh(), cache.getEarlyRefreshBeta(), cache.getNear().policy());
		Map<String, CachePolicy> caches = new LinkedHashMap<>();
		cache.getCaches().forEach((name, own) -> caches.put(name, own.over(defaults)));
		return Customizers.apply(new CacheSettings(defaults, caches, cache.getLoadTimeout(), cache.getWaitTimeout(),
				CacheSettings.DEFAULTS.pollInterval(), cache.isFailOnRedisDown(), cache.isLocalTagVersions()), customizers,
				CacheSettingsCustomizer::customize);
	}

	/** Static and lazy in its dependencies, so that creating the advisor early creates no Redis beans. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static CacheAnnotationAdvisor redisStarterCacheAnnotationAdvisor(ObjectProvider<CacheService> cache,
			ObjectProvider<CacheSettings> settings, Environment environment) {
		CacheAnnotationMethods methods = new CacheAnnotationMethods();
		CacheAnnotationAdvisor advisor = new CacheAnnotationAdvisor(methods, new CacheAnnotationInterceptor(methods, cache, settings));
		advisor.setOrder(
				environment.getProperty("redis.starter.cache.advisor-order", Integer.class, CacheAnnotationAdvisor.DEFAULT_ORDER));
		return advisor;
	}

	@Bean
	@ConditionalOnMissingBean
	WriteBehindSettings redisStarterWriteBehindSettings(RedisStarterProperties properties) {
		Map<String, WriteBehindPolicy> caches = new LinkedHashMap<>();
		properties.getCache().getCaches().forEach((name, own) -> {
			if (own.getWriteBehind().isEnabled()) {
				caches.put(name, own.getWriteBehind().policy());
			}
		});
		try {
			return new WriteBehindSettings(caches);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException("redis.starter.cache.caches", caches.keySet(), ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean(CacheService.class)
	RedisCacheService redisStarterCacheService(RedisAccess access, RedisStarterProperties properties, KeyNaming keys,
			JsonCodec codec, CacheSettings settings, CacheMetrics metrics, WriteBehindSettings writeBehind) {
		return new RedisCacheService(access.calls(Feature.CACHE, properties.getCache().getTimeout()), keys, codec,
				settings, metrics, writeBehind);
	}

	/**
	 * Persists the write-behind caches this instance persists ({@code write-behind.persist}, on by default) through
	 * their {@link WriteBehindWriter} beans; drains on shutdown, before the connection closes.
	 */
	@Bean
	@ConditionalOnMissingBean
	WriteBehind redisStarterWriteBehind(RedisAccess access, RedisStarterProperties properties, KeyNaming keys,
			ObjectProvider<JsonMapper> jsonMapper, WriteBehindSettings settings, CacheMetrics metrics,
			ListableBeanFactory beanFactory) {
		@SuppressWarnings("rawtypes")
		Map<String, WriteBehindWriter> beans = beanFactory.getBeansOfType(WriteBehindWriter.class);
		Map<String, WriteBehindWriter<?>> writers = new LinkedHashMap<>();
		properties.getCache().getCaches().forEach((cache, own) -> {
			WriteBehindProperties writeBehind = own.getWriteBehind();
			if (!writeBehind.isEnabled() || !writeBehind.isPersist() || settings.policy(cache) == null) {
				return;
			}
			String property = "redis.starter.cache.caches." + cache + ".write-behind.writer";
			String name = writeBehind.getWriter();
			WriteBehindWriter<?> writer = (name != null) ? beans.get(name)
					: (beans.size() == 1) ? beans.values().iterator().next() : null;
			if (writer == null) {
				throw new InvalidPropertyException(property, name, "the name of a WriteBehindWriter bean (there are "
						+ beans.size() + ": " + beans.keySet() + "), or unset when there is exactly one; or set"
						+ " redis.starter.cache.caches." + cache + ".write-behind.persist=false in instances that only write");
			}
			writers.put(cache, writer);
		});
		Duration deadline = properties.getCache().getTimeout();
		if (deadline.compareTo(WRITE_BEHIND_DEADLINE) < 0) {
			deadline = WRITE_BEHIND_DEADLINE;
		}
		return new WriteBehind(access.calls(Feature.CACHE, deadline), keys,
				jsonMapper.getIfUnique(() -> JsonMapper.builder().build()), settings, writers,
				RedisStarterStreamsAutoConfiguration.instanceId(properties.getStream()), metrics);
	}

	/** The least deadline of the write-behind's batch reads and acknowledgements (the cache's own is for single keys). */
	private static final Duration WRITE_BEHIND_DEADLINE = Duration.ofSeconds(2);

	/**
	 * The Spring Cache bridge, when asked for. Named {@code cacheManager} and created before Spring Boot's cache
	 * auto-configuration, which then backs off (it creates a cache manager only when there is none).
	 */
	@Bean
	@ConditionalOnEnabled(value = "redis.starter.cache.spring-cache.enabled", matchIfMissing = false)
	@ConditionalOnMissingBean(CacheManager.class)
	RedisStarterCacheManager cacheManager(RedisCacheService service, CacheSettings settings, JsonCodec codec,
			RedisStarterProperties properties, BeanFactory beanFactory) {
		List<String> packages = new ArrayList<>(properties.getCache().getSpringCache().getAllowedPackages());
		if (AutoConfigurationPackages.has(beanFactory)) {
			packages.addAll(AutoConfigurationPackages.get(beanFactory));
		}
		return new RedisStarterCacheManager(service, settings, codec, packages);
	}

	/** Spring Boot's cache meters for the bridge's caches, when Boot's cache metrics are on the classpath. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.cache.metrics.CacheMeterBinderProvider")
	@ConditionalOnEnabled(value = "redis.starter.cache.spring-cache.enabled", matchIfMissing = false)
	static class CacheMeterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RedisStarterCacheMeterBinderProvider redisStarterCacheMeterBinderProvider() {
			return new RedisStarterCacheMeterBinderProvider();
		}

	}

	/** Runs the application's {@link CacheWarmer} beans at start-up. */
	@Bean
	@ConditionalOnBean(CacheWarmer.class)
	@ConditionalOnEnabled("redis.starter.cache.warming.enabled")
	@ConditionalOnMissingBean
	CacheWarmingLifecycle redisStarterCacheWarming(CacheService cache, CacheSettings settings, CacheMetrics metrics,
			RedisStarterProperties properties, ObjectProvider<CacheWarmer> warmers,
			ObjectProvider<ApplicationArguments> applicationArguments,
			ObjectProvider<RedisStarterCacheManager> springCache, ObjectProvider<StarterThreads> threads) {
		CacheProperties.Warming warming = properties.getCache().getWarming();
		CacheWarming configured = new CacheWarming(cache, settings, metrics,
				new CacheWarming.Settings(warming.getConcurrency(), warming.getTimeout()))
			.withThreads(threads.getIfUnique(() -> StarterThreads.DEFAULTS));
		// With the Spring Cache bridge on, entries record their type, or @Cacheable would read each as a miss.
		RedisStarterCacheManager bridge = springCache.getIfUnique();
		CacheWarming runner = (bridge != null) ? configured.withSpringCache(bridge) : configured;
		// A SpringApplication registers its arguments: then its runners wait for warming, once liveness is CORRECT.
		return new CacheWarmingLifecycle(runner, warmers.orderedStream().toList(), warming.isBlockReadiness(),
				warming.isFailOnError(), applicationArguments.getIfAvailable() != null);
	}

	@Bean
	@ConditionalOnMissingBean
	CacheMetrics redisStarterCacheMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
		return new CacheMetrics(meterRegistry.getIfUnique());
	}

	/**
	 * With Actuator: {@code /actuator/writebehind} (read-only by default).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
	static class ActuatorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		WriteBehindEndpoint redisStarterWriteBehindEndpoint(WriteBehind writeBehind) {
			return new WriteBehindEndpoint(writeBehind);
		}

	}

	/**
	 * In a servlet web application, 503 answers when the cache fails on Redis being down.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, RestControllerAdvice.class })
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CacheExceptionHandler redisStarterCacheExceptionHandler() {
			return new CacheExceptionHandler();
		}

	}

}
