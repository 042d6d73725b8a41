/**
 * A real Redis for tests and local runs: a private {@code redis-server} process, a Cluster and a Sentinel
 * group, with JUnit 5 ({@link dev.redisstarter.test.RealRedis}) and Spring test integration.
 */
@NullMarked
package dev.redisstarter.test;

import org.jspecify.annotations.NullMarked;
