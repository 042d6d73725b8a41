/**
 * Locks in Spring MVC: 409 and 503 answers ({@link dev.redisstarter.lock.web.LockExceptionHandler}).
 */
@NullMarked
package dev.redisstarter.lock.web;

import org.jspecify.annotations.NullMarked;
