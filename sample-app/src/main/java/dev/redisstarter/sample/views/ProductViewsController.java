package dev.redisstarter.sample.views;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.WriteBehind;

/**
 * Product views through a write-behind cache: {@code POST /api/products/{id}/views} records a viewer's view in Redis
 * and answers at once (202); the database gets it in the next batch ({@link ProductViewsWriter}).
 * {@code GET /api/products/{id}/views} shows the views stored in the database and the writes still waiting.
 */
@RestController
class ProductViewsController {

	private static final String CACHE = "product-views";

	private final CacheService cache;

	private final WriteBehind writeBehind;

	private final JdbcClient jdbc;

	ProductViewsController(CacheService cache, WriteBehind writeBehind, JdbcClient jdbc) {
		this.cache = cache;
		this.writeBehind = writeBehind;
		this.jdbc = jdbc;
	}

	@PostMapping("/api/products/{id}/views")
	ResponseEntity<Map<String, Object>> view(@PathVariable long id, @RequestBody ViewRequest request) {
		String viewer = request.viewer();
		if (viewer == null || viewer.isBlank() || viewer.length() > 100) {
			return ResponseEntity.badRequest().body(Map.of("detail", "'viewer' is required, at most 100 characters"));
		}
		ProductView view = new ProductView(id, viewer, Instant.now());
		// Stored in Redis and queued for the database in one step; the cache's time to live is far above the
		// persistence lag (write-behind.max-delay).
		this.cache.set(CACHE + ":" + id + ":" + viewer, view, Duration.ofHours(1));
		return ResponseEntity.accepted().body(Map.of("productId", id, "viewer", viewer));
	}

	@GetMapping("/api/products/{id}/views")
	Map<String, Object> views(@PathVariable long id) {
		long persisted = this.jdbc.sql("SELECT COUNT(*) FROM product_view WHERE product_id = ?")
			.param(id)
			.query(Long.class)
			.single();
		return Map.of("productId", id, "persistedViewers", persisted, "backlog", this.writeBehind.backlog(CACHE));
	}

	record ViewRequest(String viewer) {
	}

}
