package dev.redisstarter.sample.catalogue;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.sample.BadRequests;


/**
 * The product catalogue over HTTP: {@code GET /api/products/{id}} answers {@code X-Cache: HIT} or {@code MISS};
 * {@code PUT /api/products/{id}} updates the database and evicts the product's tag;
 * {@code POST /api/categories/{category}/invalidate} invalidates every cached product of a category.
 */
@RestController
class ProductController {

	private final ProductCatalogue catalogue;

	ProductController(ProductCatalogue catalogue) {
		this.catalogue = catalogue;
	}

	@GetMapping("/api/products/{id}")
	ResponseEntity<Product> get(@PathVariable long id, HttpServletRequest request) {
		Product product = this.catalogue.find(id);
		String cache = (request.getAttribute(ProductCatalogue.LOADED) != null) ? "MISS" : "HIT";
		return (product != null) ? ResponseEntity.ok().header("X-Cache", cache).body(product)
				: ResponseEntity.notFound().header("X-Cache", cache).build();
	}

	@PutMapping("/api/products/{id}")
	ResponseEntity<Product> update(@PathVariable long id, @RequestBody ProductUpdate update) {
		if (update.name() == null || update.name().isBlank() || update.category() == null || update.category().isBlank()
				|| update.price() == null || update.price().signum() < 0) {
			throw new IllegalArgumentException("'name', 'category' and a 'price' of at least 0 are required");
		}
		Product product = new Product(id, update.name(), update.category(), update.price());
		return this.catalogue.update(product) ? ResponseEntity.ok(product) : ResponseEntity.notFound().build();
	}

	@PostMapping("/api/categories/{category}/invalidate")
	Map<String, Object> invalidate(@PathVariable String category) {
		return Map.of("category", category, "invalidated", this.catalogue.invalidateCategory(category) > 0);
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail badRequest(IllegalArgumentException ex, HttpServletRequest request) {
		return BadRequests.problem(ex, request);
	}

	/** The body of a product update. */
	record ProductUpdate(String name, String category, BigDecimal price) {
	}

}
