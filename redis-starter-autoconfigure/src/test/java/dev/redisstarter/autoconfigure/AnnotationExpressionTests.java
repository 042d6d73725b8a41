package dev.redisstarter.autoconfigure;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.cache.EvictTags;
import dev.redisstarter.cache.TaggedCacheable;
import dev.redisstarter.lock.WithLock;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A misspelled SpEL variable stops start-up naming the method and the variable, instead of evaluating to null
 * and becoming part of a key ({@code products:null}); a key, tag or lock name that evaluates to nothing at call
 * time is an error naming the annotation and the method.
 */
@RealRedis
class AnnotationExpressionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class,
				RedisStarterRateLimitAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=expr-" + UUID.randomUUID() + ":");

	@Test
	void aMisspelledCacheKeyVariableStopsStartUpNamingTheMethodAndTheVariable() {
		this.runner.withBean(MisspelledCacheKey.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("MisspelledCacheKey.find")
				.hasStackTraceContaining("#productId")
				.hasStackTraceContaining("#id"));
	}

	@Test
	void aMisspelledEvictionTagVariableStopsStartUp() {
		this.runner.withBean(MisspelledEviction.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("MisspelledEviction.update")
				.hasStackTraceContaining("#productId"));
	}

	@Test
	void aMisspelledLockKeyVariableStopsStartUp() {
		this.runner.withBean(MisspelledLockKey.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @WithLock on")
				.hasStackTraceContaining("#skuu"));
	}

	@Test
	void aMisspelledRateLimitKeyVariableStopsStartUp() {
		this.runner.withBean(MisspelledRateLimitKey.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @RateLimited on")
				.hasStackTraceContaining("#userr"));
	}

	@Test
	void theResultIsNotAVariableOfACacheKey() {
		this.runner.withBean(ResultInKey.class)
			.run((context) -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("#result"));
	}

	@Test
	void parametersByNameOrPositionTheResultInTagsAndTheWebVariablesAreAccepted() {
		this.runner.withBean(WellWritten.class).run((context) -> {
			assertThat(context).hasNotFailed();
			WellWritten bean = context.getBean(WellWritten.class);
			assertThat(bean.find(7L)).isEqualTo("product 7");
			assertThat(bean.reserve("sku-1")).isEqualTo("reserved sku-1");
		});
	}

	@Test
	void aKeyThatIsOnlyAParameterIsReadWithoutSpelByNameOrPositionAndAnythingElseIsEvaluated() throws Exception {
		java.lang.reflect.Method method = Positions.class.getDeclaredMethod("find", long.class, String.class);
		dev.redisstarter.core.AnnotationExpressions expressions = new dev.redisstarter.core.AnnotationExpressions();
		assertThat(expressions.parameterIndex("#id", method)).isZero();
		assertThat(expressions.parameterIndex(" #name ", method)).isEqualTo(1);
		assertThat(expressions.parameterIndex("#p1", method)).isEqualTo(1);
		assertThat(expressions.parameterIndex("#a0", method)).isZero();
		assertThat(expressions.parameterIndex("#p2", method)).as("no third parameter").isEqualTo(-1);
		assertThat(expressions.parameterIndex("#id + 1", method)).isEqualTo(-1);
		assertThat(expressions.parameterIndex("'id'", method)).isEqualTo(-1);
		assertThat(expressions.parameterIndex("#root", method)).isEqualTo(-1);
		assertThat(expressions.parameterIndex("#", method)).isEqualTo(-1);
	}

	static class Positions {

		String find(long id, String name) {
			return name + id;
		}

		String climb(String root, String self) {
			return root + self;
		}

	}

	@Test
	void aKeyOfRootOrThisIsEvaluatedAsSpelDoesEvenWhenAParameterHasThatName() throws Exception {
		// SpEL reads #root and #this as the root and the context object, never as a parameter of that name.
		java.lang.reflect.Method method = Positions.class.getDeclaredMethod("climb", String.class, String.class);
		dev.redisstarter.core.AnnotationExpressions expressions = new dev.redisstarter.core.AnnotationExpressions();
		org.springframework.expression.EvaluationContext context = new org.springframework.context.expression.MethodBasedEvaluationContext(
				"the root object", method, new Object[] { "the argument", "other" },
				new org.springframework.core.DefaultParameterNameDiscoverer());
		assertThat(expressions.parse("#root", method, java.util.List.of()).getValue(context)).isEqualTo("the root object");
		assertThat(expressions.parameterIndex("#root", method)).isEqualTo(-1);
		assertThat(expressions.parameterIndex("#this", method)).isEqualTo(-1);
		assertThat(expressions.parameterIndex("#self", method)).isEqualTo(1);
	}

	@Test
	void aKeyTagOrLockNameThatEvaluatesToNullIsAnErrorNamingTheAnnotationAndTheMethod() {
		this.runner.withBean(WellWritten.class).run((context) -> {
			WellWritten bean = context.getBean(WellWritten.class);
			assertThatIllegalStateException().isThrownBy(() -> bean.find(null))
				.withMessageContaining("@TaggedCacheable key")
				.withMessageContaining("WellWritten.find")
				.withMessageContaining("null");
			assertThatIllegalStateException().isThrownBy(() -> bean.reserve(null))
				.withMessageContaining("@WithLock key")
				.withMessageContaining("WellWritten.reserve");
			assertThatIllegalStateException().isThrownBy(() -> bean.limited(""))
				.withMessageContaining("@RateLimited key")
				.withMessageContaining("empty");
			assertThatIllegalStateException().isThrownBy(() -> bean.tagged(3L, null))
				.withMessageContaining("@TaggedCacheable tag")
				.withMessageContaining("WellWritten.tagged");
			assertThatIllegalStateException().isThrownBy(() -> bean.evict(null))
				.withMessageContaining("@EvictTags tag")
				.withMessageContaining("WellWritten.evict");
		});
	}

	@Test
	void rootAndTheVariablesOfTheApplicationsOwnRateLimitContextsWork() {
		this.runner.withBean(Rooted.class).withBean(TenantContext.class).run((context) -> {
			assertThat(context).hasNotFailed();
			Rooted bean = context.getBean(Rooted.class);
			assertThat(bean.find(3L)).isEqualTo("rooted 3");
			assertThat(bean.limited()).isEqualTo("ok");
		});
	}

	static class Rooted {

		@TaggedCacheable(cache = "roots", key = "#root.methodName + ':' + #id", ttl = "1m")
		String find(Long id) {
			return "rooted " + id;
		}

		@RateLimited(limit = 100, window = "1m", key = "#tenant")
		String limited() {
			return "ok";
		}

	}

	/** An application's own context, offering {@code #tenant}. */
	static class TenantContext implements dev.redisstarter.ratelimit.RateLimitContext {

		@Override
		public String defaultKey() {
			return null;
		}

		@Override
		public java.util.Set<String> variableNames() {
			return java.util.Set.of("tenant");
		}

		@Override
		public java.util.Map<String, Object> variables() {
			return java.util.Map.of("tenant", "acme");
		}

		@Override
		public void decided(dev.redisstarter.ratelimit.RateLimitResult result) {
		}

	}

	@Test
	void asynchronousMethodsAreRefusedAtStartUpRatherThanReleasedOrCachedTooEarly() {
		this.runner.withBean(AsyncLock.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@WithLock releases the lock when the method returns, but CompletableFuture"));
		this.runner.withBean(AsyncCache.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@TaggedCacheable caches the result when the method returns, but CompletionStage"));
		this.runner.withBean(AsyncEviction.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@EvictTags invalidates when the method returns, but Future"));
	}

	@Test
	void aWrongAnnotationIsExplainedInTheApplicationFailedToStartReport() {
		this.runner.withBean(MisspelledLockKey.class).run((context) -> {
			Throwable failure = context.getStartupFailure();
			FailureAnalysis analysis = new InvalidAnnotationFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("@WithLock", "MisspelledLockKey.reserve", "#skuu")
				.doesNotContain("Unexpected AOP exception");
			assertThat(analysis.getAction()).contains("Correct the attribute of the @WithLock annotation", "SpEL")
				.doesNotContain("policies");
		});
	}

	static class AsyncLock {

		@WithLock(key = "#sku")
		CompletableFuture<String> reserve(String sku) {
			return CompletableFuture.completedFuture(sku);
		}

	}

	static class AsyncCache {

		@TaggedCacheable(cache = "products", key = "#id")
		CompletionStage<String> find(long id) {
			return CompletableFuture.completedFuture("p");
		}

	}

	static class AsyncEviction {

		@EvictTags("'product:' + #id")
		Future<Void> update(long id) {
			return CompletableFuture.completedFuture(null);
		}

	}

	static class MisspelledCacheKey {

		@TaggedCacheable(cache = "products", key = "#productId")
		String find(long id) {
			return "product " + id;
		}

	}

	static class MisspelledEviction {

		@EvictTags({ "'product:' + #productId" })
		void update(long id) {
		}

	}

	static class MisspelledLockKey {

		@WithLock(key = "'stock:' + #skuu")
		void reserve(String sku) {
		}

	}

	static class MisspelledRateLimitKey {

		@RateLimited(limit = 5, window = "1m", key = "#userr")
		void call(String user) {
		}

	}

	static class ResultInKey {

		@TaggedCacheable(cache = "products", key = "#result")
		String find(long id) {
			return "product " + id;
		}

	}

	static class WellWritten {

		@TaggedCacheable(cache = "products", key = "#id", tags = { "'product:' + #p0", "'name:' + #result" }, ttl = "1m")
		String find(Long id) {
			return "product " + id;
		}

		@TaggedCacheable(cache = "categories", key = "#id", tags = "#category", ttl = "1m")
		String tagged(Long id, String category) {
			return "tagged " + id;
		}

		@EvictTags("#category")
		void evict(String category) {
		}

		@WithLock(key = "#a0", waitTime = "1s")
		String reserve(String sku) {
			return "reserved " + sku;
		}

		@RateLimited(limit = 100, window = "1m", key = "#user + (#clientAddress ?: '')")
		String limited(String user) {
			return "ok";
		}

	}

}
