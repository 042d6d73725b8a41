package dev.redisstarter.sample.emails;

import java.time.Instant;

/**
 * An e-mail this instance's {@link Mailer} sent.
 *
 * @param jobId the send job's id in the {@code emails} queue
 * @param to the recipient
 * @param subject the subject line
 * @param attempt on which attempt it was sent (1 the first time)
 * @param sentAt when
 */
public record SentEmail(String jobId, String to, String subject, int attempt, Instant sentAt) {
}
