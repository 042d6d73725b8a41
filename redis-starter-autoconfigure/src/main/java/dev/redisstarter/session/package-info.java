/**
 * Sessions: {@link dev.redisstarter.session.SessionService} with a per-user index that never leaks, sliding
 * and absolute expiry, per-user limits and a Spring MVC argument resolver.
 */
@NullMarked
package dev.redisstarter.session;

import org.jspecify.annotations.NullMarked;
