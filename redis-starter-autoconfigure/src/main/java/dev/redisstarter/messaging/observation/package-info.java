/**
 * The observations of the starter's messaging (publish, listener, stream and job handling, enqueue), their contexts
 * and the conventions an application overrides by declaring a bean.
 */
@NullMarked
package dev.redisstarter.messaging.observation;

import org.jspecify.annotations.NullMarked;
