package dev.redisstarter.sample.quotes;

/**
 * A price quote, the reply to a request on the {@code quotes} channel.
 *
 * @param sku the item
 * @param price its price in cents
 */
public record Quote(String sku, long price) {
}
