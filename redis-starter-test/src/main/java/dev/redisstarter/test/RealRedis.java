package dev.redisstarter.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real Redis, shared by every test class of the JVM that asks for the same
 * {@link Topology} (see {@link SharedRedis}).
 *
 * <p>In a plain JUnit 5 test, parameters of type {@link RedisServer}, {@link RedisCluster},
 * {@link RedisSentinelGroup} or {@link RedisDeployment} are injected. In a Spring test
 * ({@code @SpringBootTest}, {@code @DataRedisTest}, ...), the application context also receives the
 * {@code spring.data.redis.*} properties of the deployment, ahead of every other property source:
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;RealRedis
 * class CheckoutTests { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealRedisExtension.class)
public @interface RealRedis {

	/**
	 * The deployment to run against.
	 * @return the topology, a single server by default
	 */
	Topology value() default Topology.STANDALONE;

}
