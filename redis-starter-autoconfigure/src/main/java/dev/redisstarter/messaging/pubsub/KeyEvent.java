package dev.redisstarter.messaging.pubsub;

/**
 * A keyevent notification: something happened to a key.
 *
 * @param event what happened, such as {@code expired}, {@code del}, {@code set}
 * @param key the key
 * @param database the database number (always 0 on a Cluster)
 */
public record KeyEvent(String event, String key, int database) {
}
