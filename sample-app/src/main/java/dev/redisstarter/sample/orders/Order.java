package dev.redisstarter.sample.orders;

/**
 * An order, as posted to {@code POST /api/orders} and carried as the JSON payload of an entry of the
 * {@code orders} stream.
 *
 * @param item what is ordered
 * @param quantity how many
 */
public record Order(String item, int quantity) {
}
