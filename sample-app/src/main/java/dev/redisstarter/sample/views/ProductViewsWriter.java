package dev.redisstarter.sample.views;

import java.sql.Timestamp;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.redisstarter.cache.WriteBehindWriter;

/**
 * Persists the write-behind cache {@code product-views} to the database, a batch at a time, in one transaction:
 * an upsert per viewer and product (each key once, its last view), so a batch delivered again changes nothing.
 */
@Component
class ProductViewsWriter implements WriteBehindWriter<ProductView> {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	ProductViewsWriter(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public void write(String cache, Map<String, ProductView> upserts, Set<String> deletes) {
		this.transactions.executeWithoutResult((status) -> {
			for (ProductView view : upserts.values()) {
				this.jdbc.sql("MERGE INTO product_view (product_id, viewer, viewed_at) KEY (product_id, viewer)"
						+ " VALUES (?, ?, ?)")
					.params(view.productId(), view.viewer(), Timestamp.from(view.viewedAt()))
					.update();
			}
			for (String key : deletes) {
				// product-views:<product id>:<viewer>
				String[] parts = key.split(":", 3);
				this.jdbc.sql("DELETE FROM product_view WHERE product_id = ? AND viewer = ?")
					.params(Long.parseLong(parts[1]), parts[2])
					.update();
			}
		});
	}

}
