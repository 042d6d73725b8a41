package dev.redisstarter.session.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a controller parameter of type {@link dev.redisstarter.session.Session} to the request's session,
 * found by its id in {@code Authorization: Bearer <id>} (or the configured header or cookie). A request
 * without a live session is answered 401 with a problem body, unless {@link #required()} is false, in which
 * case the parameter is {@code null}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CurrentSession {

	/**
	 * Whether a request without a live session is refused.
	 * @return whether the session is required
	 */
	boolean required() default true;

}
