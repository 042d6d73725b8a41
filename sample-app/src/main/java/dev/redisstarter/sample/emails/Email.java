package dev.redisstarter.sample.emails;

/**
 * An e-mail to send, as posted to {@code POST /api/emails} and carried as the JSON payload of a job of the
 * {@code emails} queue.
 *
 * @param to the recipient's address
 * @param subject the subject line
 */
public record Email(String to, String subject) {
}
