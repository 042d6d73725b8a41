package dev.redisstarter.sample.catalogue;

import java.math.BigDecimal;

/**
 * A product of the catalogue.
 *
 * @param id its id
 * @param name its name
 * @param category its category
 * @param price its price
 */
public record Product(long id, String name, String category, BigDecimal price) {
}
