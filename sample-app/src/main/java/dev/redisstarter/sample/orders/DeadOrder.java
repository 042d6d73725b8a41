package dev.redisstarter.sample.orders;

import org.jspecify.annotations.Nullable;

/**
 * A dead letter of the {@code orders} stream, as {@code GET /api/orders/dead-letters} lists it.
 *
 * @param id the dead letter's id, which {@code POST /api/orders/dead-letters/{id}/replay} takes
 * @param orderId the order's entry id in the {@code orders} stream when it was given up
 * @param item the order's item, or {@code null} when its payload could not be read
 * @param deliveries how many times it was delivered
 * @param error why it was given up, with the exception's message
 * @param exception the exception's class
 */
public record DeadOrder(String id, String orderId, @Nullable String item, long deliveries, String error,
		String exception) {
}
