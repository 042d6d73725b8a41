/**
 * Sessions: {@link dev.redisstarter.session.SessionService} with a per-user index that never leaks, sliding
 * and absolute expiry, per-user limits and a Spring MVC argument resolver; and {@link SpringSessionBridge}, Spring
 * Session's repository on the same sessions (used only when spring-session-core is on the class path).
 */
@NullMarked
package dev.redisstarter.session;

import org.jspecify.annotations.NullMarked;
