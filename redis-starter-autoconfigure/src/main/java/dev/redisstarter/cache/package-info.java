/**
 * Caching: {@link dev.redisstarter.cache.CacheService} with tags, stampede protection and negative caching.
 */
@NullMarked
package dev.redisstarter.cache;

import org.jspecify.annotations.NullMarked;
