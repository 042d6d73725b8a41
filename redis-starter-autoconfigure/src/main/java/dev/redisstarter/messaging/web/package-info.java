/**
 * Messaging in Spring MVC: 503 answers for pub/sub, streams and the job queue
 * ({@link dev.redisstarter.messaging.web.MessagingExceptionHandler}).
 */
@NullMarked
package dev.redisstarter.messaging.web;

import org.jspecify.annotations.NullMarked;
