/**
 * Spring Boot health for the starter's view of Redis: its circuit, its connection and the server checks.
 */
@NullMarked
package dev.redisstarter.core.health;

import org.jspecify.annotations.NullMarked;
