package dev.redisstarter.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a bean method's result through {@link CacheService#getOrLoad}, so it inherits stampede protection and
 * negative caching:
 * <pre class="code">
 * &#64;TaggedCacheable(cache = "products", key = "#id", tags = {"'product:' + #id", "'category:' + #result.category"}, ttl = "10m")
 * Product find(long id) { ... }
 * </pre>
 * The value is read back as the method's generic return type ({@code Product}, {@code List<Product>},
 * {@code Optional<Product>}, {@code Map<String, Price>}); no type name is stored. Expressions are parsed when the
 * bean is created.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaggedCacheable {

	/**
	 * The cache's name, the first part of the key.
	 * @return the cache name
	 */
	String cache();

	/**
	 * SpEL over the arguments by name, giving the rest of the key.
	 * @return the key expression
	 */
	String key();

	/**
	 * SpEL expressions giving the entry's tags; they may use {@code #result}.
	 * @return the tag expressions
	 */
	String[] tags() default {};

	/**
	 * Time to live ({@code 10m}, {@code 30s}, {@code PT1H}). Empty: {@code redis.starter.cache.default-ttl}.
	 * {@code redis.starter.cache.caches.<cache>.ttl}, when set, wins over this, so that operators can tune a
	 * cache without a release.
	 * @return the time to live
	 */
	String ttl() default "";

	/**
	 * SpEL over the arguments: when false, the method runs without the cache.
	 * @return the condition, empty for always
	 */
	String condition() default "";

	/**
	 * SpEL that may use {@code #result}: when true, the result is returned but not cached.
	 * @return the veto, empty for never
	 */
	String unless() default "";

}
