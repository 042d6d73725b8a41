package dev.redisstarter.autoconfigure;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.data.redis.config.RedisListenerConfigUtils;
import org.springframework.data.redis.config.RedisListenerEndpointRegistry;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

import dev.redisstarter.messaging.pubsub.StarterRedisListenerAnnotationBeanPostProcessor;

/**
 * Puts the starter's {@code @RedisListener} processor in place of Spring's, before Spring Boot's Redis
 * auto-configuration would register Spring's (it backs off when the processor's bean exists). Only the
 * processor and the endpoint registry are here: they must exist before any bean; what they need at start
 * comes from {@link RedisStarterMessagingAutoConfiguration}. An application that declares
 * {@code @EnableRedisListeners} itself keeps Spring's processor.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisListener.class, InvocableHandlerMethod.class, LettuceConnectionFactory.class })
@ConditionalOnEnabled("redis.starter.messaging.enabled")
public final class RedisStarterListenerAutoConfiguration {

	@Bean(name = RedisListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(name = RedisListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
	static StarterRedisListenerAnnotationBeanPostProcessor redisStarterListenerAnnotationProcessor() {
		return new StarterRedisListenerAnnotationBeanPostProcessor();
	}

	@Bean(name = RedisListenerConfigUtils.REDIS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(name = RedisListenerConfigUtils.REDIS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME)
	@ConditionalOnBean(name = RedisListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
	static RedisListenerEndpointRegistry redisStarterListenerEndpointRegistry() {
		return new RedisListenerEndpointRegistry();
	}

}
