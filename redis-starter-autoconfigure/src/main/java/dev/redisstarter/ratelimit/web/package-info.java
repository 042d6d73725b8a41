/**
 * Rate limits in Spring MVC applications: 429 responses with problem details and rate-limit header fields,
 * client addresses behind trusted proxies, and rules configured in properties.
 */
@NullMarked
package dev.redisstarter.ratelimit.web;

import org.jspecify.annotations.NullMarked;
