package dev.redisstarter.autoconfigure;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.ratelimit.RateLimitContext;
import dev.redisstarter.ratelimit.RateLimitMetrics;
import dev.redisstarter.ratelimit.RateLimitPolicies;
import dev.redisstarter.ratelimit.RateLimitedAdvisor;
import dev.redisstarter.ratelimit.RateLimitedInterceptor;
import dev.redisstarter.ratelimit.RateLimitedMethods;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.ratelimit.RedisRateLimiter;
import dev.redisstarter.ratelimit.web.ClientAddressResolver;
import dev.redisstarter.ratelimit.web.IpRange;
import dev.redisstarter.ratelimit.web.RateLimitExceptionHandler;
import dev.redisstarter.ratelimit.web.RateLimitFilter;
import dev.redisstarter.ratelimit.web.RateLimitHeaders;
import dev.redisstarter.ratelimit.web.RateLimitRule;
import dev.redisstarter.ratelimit.web.WebRateLimitContext;

/**
 * Rate limiting: a {@link RateLimiter}, the policies of {@code redis.starter.ratelimit.policies},
 * {@code @RateLimited} through an advisor, and in a servlet web application 429 answers, header fields and
 * the rules of {@code redis.starter.ratelimit.http.rules}. Off with {@code redis.starter.ratelimit.enabled=false}.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnEnabled("redis.starter.ratelimit.enabled")
public final class RedisStarterRateLimitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RateLimitMetrics redisStarterRateLimitMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
		return new RateLimitMetrics(meterRegistry.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	RateLimitPolicies redisStarterRateLimitPolicies(RedisStarterProperties properties,
			ObjectProvider<RateLimitPoliciesCustomizer> customizers) {
		return Customizers.apply(RateLimitPolicyFactory.policies(properties.getRatelimit().getPolicies()), customizers,
				RateLimitPoliciesCustomizer::customize);
	}

	@Bean
	@ConditionalOnMissingBean(RateLimiter.class)
	RedisRateLimiter redisStarterRateLimiter(RedisAccess access, RedisStarterProperties properties, KeyNaming keys,
			RateLimitMetrics metrics) {
		return new RedisRateLimiter(access.calls(Feature.RATE_LIMIT, properties.getRatelimit().getTimeout()), keys,
				metrics, properties.getRatelimit().getLocalRejections().getMaxKeys(),
				properties.getRatelimit().getLocalRejections().getMaxTime());
	}

	/** Static and lazy in its dependencies, so that creating the advisor early creates no Redis beans. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static RateLimitedAdvisor redisStarterRateLimitedAdvisor(ObjectProvider<RateLimitPolicies> policies,
			ObjectProvider<RateLimiter> limiter, ObjectProvider<RateLimitContext> contexts, Environment environment) {
		RateLimitedMethods methods = new RateLimitedMethods(policies::getObject, () -> contexts.orderedStream()
			.flatMap((context) -> context.variableNames().stream())
			.toList());
		RateLimitedAdvisor advisor = new RateLimitedAdvisor(methods, new RateLimitedInterceptor(methods, limiter, contexts));
		advisor.setOrder(
				environment.getProperty("redis.starter.ratelimit.advisor-order", Integer.class, RateLimitedAdvisor.DEFAULT_ORDER));
		return advisor;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, RestControllerAdvice.class })
	@ConditionalOnEnabled("redis.starter.ratelimit.http.enabled")
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClientAddressResolver redisStarterClientAddressResolver(RedisStarterProperties properties) {
			List<String> proxies = properties.getRatelimit().getHttp().getTrustedProxies();
			try {
				return new ClientAddressResolver(proxies.stream().map(IpRange::parse).toList(),
						properties.getRatelimit().getHttp().getIpv6PrefixLength());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidPropertyException("redis.starter.ratelimit.http.trusted-proxies", ex.getMessage());
			}
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitHeaders redisStarterRateLimitHeaders(RedisStarterProperties properties) {
			return new RateLimitHeaders(properties.getRatelimit().getHttp().getHeaders());
		}

		@Bean
		@ConditionalOnMissingBean
		WebRateLimitContext redisStarterWebRateLimitContext(ClientAddressResolver addresses, RateLimitHeaders headers) {
			return new WebRateLimitContext(addresses, headers);
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitExceptionHandler redisStarterRateLimitExceptionHandler(RateLimitHeaders headers) {
			return new RateLimitExceptionHandler(headers);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(name = "redis.starter.ratelimit.http.rules[0].policy")
		RateLimitFilter redisStarterRateLimitFilter(RedisStarterProperties properties, RateLimiter limiter,
				RateLimitPolicies policies, ClientAddressResolver addresses, RateLimitHeaders headers, JsonCodec json) {
			List<RateLimitProperties.Rule> configured = properties.getRatelimit().getHttp().getRules();
			List<RateLimitRule> rules = new java.util.ArrayList<>();
			for (int i = 0; i < configured.size(); i++) {
				RateLimitProperties.Rule rule = configured.get(i);
				try {
					rules.add(RateLimitRule.of(rule.getPaths(), rule.getMethods(), rule.getPolicy(), rule.getKey()));
					policies.get(rule.getPolicy());
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidPropertyException("redis.starter.ratelimit.http.rules[" + i + "]",
							ex.getMessage());
				}
			}
			return new RateLimitFilter(rules, limiter, policies, addresses, headers, json,
					properties.getRatelimit().getHttp().getFilterOrder());
		}

	}

}
