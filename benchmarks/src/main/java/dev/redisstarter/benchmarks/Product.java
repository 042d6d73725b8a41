package dev.redisstarter.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The value every benchmark reads: a product whose JSON is about 1 KB. */
public record Product(long id, String name, String category, BigDecimal price, List<String> tags, String description) {

	static Product sample(long id) {
		List<String> tags = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			tags.add("tag-" + i);
		}
		return new Product(id, "Product " + id, "category-" + (id % 10), new BigDecimal("19.99"), tags,
				"A product used by the benchmarks. ".repeat(25));
	}

}
