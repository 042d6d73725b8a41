/**
 * Spring TestContext integration of {@link dev.redisstarter.test.RealRedis}.
 */
@NullMarked
package dev.redisstarter.test.spring;

import org.jspecify.annotations.NullMarked;
