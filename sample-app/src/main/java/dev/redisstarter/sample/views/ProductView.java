package dev.redisstarter.sample.views;

import java.time.Instant;

/**
 * A viewer's last view of a product, as the write-behind cache holds it and the database stores it.
 *
 * @param productId the product
 * @param viewer who viewed it
 * @param viewedAt when
 */
public record ProductView(long productId, String viewer, Instant viewedAt) {
}
