package dev.redisstarter.autoconfigure;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import org.springframework.context.ApplicationContext;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.SessionRepository;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.session.RedisSessionService;
import dev.redisstarter.session.SessionAttributeCodec;
import dev.redisstarter.session.SpringSessionBridge;
import dev.redisstarter.session.SessionMetrics;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.session.SessionSettings;
import dev.redisstarter.session.web.CurrentSessionArgumentResolver;
import dev.redisstarter.session.web.SessionExceptionHandler;
import dev.redisstarter.session.web.SessionTokenReader;

/**
 * Sessions from {@code redis.starter.session.*}, and in a servlet web application {@code @CurrentSession}
 * parameters with 401 answers. Off with {@code redis.starter.session.enabled=false}. With
 * {@code redis.starter.session.spring-session.enabled=true} and spring-session-core on the class path, also Spring
 * Session's {@code SessionRepository} on the same sessions.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnEnabled("redis.starter.session.enabled")
public final class RedisStarterSessionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SessionMetrics redisStarterSessionMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
		return new SessionMetrics(meterRegistry.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	SessionSettings redisStarterSessionSettings(RedisStarterProperties properties) {
		SessionProperties session = properties.getSession();
		return new SessionSettings(session.getTtl(), session.getMaxLifetime(), session.isTouchOnRead(),
				session.getMaxPerUser(), session.getLimitPolicy(), session.getMaxSize().toBytes(), session.getMaxUserIdLength());
	}

	@Bean
	@ConditionalOnMissingBean(SessionService.class)
	RedisSessionService redisStarterSessionService(RedisAccess access, RedisStarterProperties properties,
			KeyNaming keys, JsonCodec codec, SessionSettings settings, SessionMetrics metrics,
			ApplicationEventPublisher events) {
		return new RedisSessionService(access.calls(Feature.SESSION, properties.getSession().getTimeout()), keys, codec,
				settings, metrics, events);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, WebMvcConfigurer.class })
	@ConditionalOnEnabled("redis.starter.session.http.enabled")
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionTokenReader redisStarterSessionTokenReader(RedisStarterProperties properties) {
			SessionProperties.Http http = properties.getSession().getHttp();
			return new SessionTokenReader(http.getHeader(), http.getCookieName());
		}

		@Bean
		@ConditionalOnMissingBean
		SessionExceptionHandler redisStarterSessionExceptionHandler() {
			return new SessionExceptionHandler();
		}

		@Bean
		WebMvcConfigurer redisStarterCurrentSessionConfigurer(ObjectProvider<SessionService> sessions,
				SessionTokenReader tokens) {
			return new WebMvcConfigurer() {

				@Override
				public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
					resolvers.add(new CurrentSessionArgumentResolver(sessions.getObject(), tokens));
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(FindByIndexNameSessionRepository.class)
	@ConditionalOnEnabled(value = "redis.starter.session.spring-session.enabled", matchIfMissing = false)
	static class SpringSessionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionAttributeCodec redisStarterSessionAttributeCodec(JsonCodec codec, DecodeFailureReporter failures,
				ApplicationContext context, RedisStarterProperties properties) {
			return SessionAttributeCodec.standard(codec, failures, context.getClassLoader(),
					properties.getSession().getSpringSession().getSerializableClasses());
		}

		@Bean
		@ConditionalOnMissingBean(SessionRepository.class)
		SpringSessionBridge redisStarterSpringSessionRepository(RedisAccess access, RedisStarterProperties properties,
				KeyNaming keys, SessionSettings settings, SessionAttributeCodec codec, SessionMetrics metrics,
				ApplicationEventPublisher events) {
			return new SpringSessionBridge(access.calls(Feature.SESSION, properties.getSession().getTimeout()), keys,
					settings, codec, metrics, events);
		}

	}

}
