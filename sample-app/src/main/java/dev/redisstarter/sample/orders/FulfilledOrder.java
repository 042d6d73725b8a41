package dev.redisstarter.sample.orders;

import java.time.Instant;

/**
 * An order this instance's {@link Fulfilment} handled.
 *
 * @param id the order's entry id in the {@code orders} stream
 * @param item what was ordered
 * @param quantity how many
 * @param deliveries on which delivery it was handled (1 the first time)
 * @param fulfilledAt when
 */
public record FulfilledOrder(String id, String item, int quantity, long deliveries, Instant fulfilledAt) {
}
