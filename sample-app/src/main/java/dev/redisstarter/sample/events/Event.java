package dev.redisstarter.sample.events;

/**
 * An event: the body of {@code POST /api/events}, the payload published on the {@code events} channel, and
 * the {@code data:} of each Server-Sent Event.
 *
 * @param text what happened
 */
public record Event(String text) {
}
