package dev.redisstarter.sample.catalogue;

import java.time.Duration;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Products in the SQL database. Reads wait {@code sample.catalogue.read-latency} (50 ms by default) first, to
 * stand in for a database under load, so that a cache hit is visibly faster than a miss.
 */
@Repository
class ProductRepository {

	private final JdbcClient jdbc;

	private final Duration readLatency;

	ProductRepository(JdbcClient jdbc, @Value("${sample.catalogue.read-latency:50ms}") Duration readLatency) {
		this.jdbc = jdbc;
		this.readLatency = readLatency;
	}

	Optional<Product> find(long id) {
		try {
			Thread.sleep(this.readLatency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return this.jdbc.sql("SELECT id, name, category, price FROM product WHERE id = ?")
			.param(id)
			.query(Product.class)
			.optional();
	}

	boolean update(Product product) {
		return this.jdbc.sql("UPDATE product SET name = ?, category = ?, price = ? WHERE id = ?")
			.params(product.name(), product.category(), product.price(), product.id())
			.update() == 1;
	}

}
