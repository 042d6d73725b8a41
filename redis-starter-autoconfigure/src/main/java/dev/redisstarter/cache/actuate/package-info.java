/**
 * Actuator support for write-behind caches: the {@code writebehind} endpoint.
 */
@NullMarked
package dev.redisstarter.cache.actuate;

import org.jspecify.annotations.NullMarked;
