/**
 * The sample application.
 */
@NullMarked
package dev.redisstarter.sample;

import org.jspecify.annotations.NullMarked;
