/**
 * Spring Boot auto-configuration of the Redis Starter.
 */
@NullMarked
package dev.redisstarter.autoconfigure;

import org.jspecify.annotations.NullMarked;
