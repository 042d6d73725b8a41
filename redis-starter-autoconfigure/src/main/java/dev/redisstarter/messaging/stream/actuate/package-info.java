/**
 * Actuator support for streams: the {@code streams} endpoint and the consumers' health.
 */
@NullMarked
package dev.redisstarter.messaging.stream.actuate;

import org.jspecify.annotations.NullMarked;
