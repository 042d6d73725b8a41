/**
 * Caching in Spring MVC: 503 answers ({@link dev.redisstarter.cache.web.CacheExceptionHandler}).
 */
@NullMarked
package dev.redisstarter.cache.web;

import org.jspecify.annotations.NullMarked;
