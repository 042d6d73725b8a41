package dev.redisstarter.sample.inventory;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/inventory-report?sku=a&sku=b} reads several stock levels under a read lock;
 * {@code POST /api/inventory-report/restock} {@code {"skus": [...], "stock": n}} sets them all under the write lock
 * (204). A report never shows a restock half done; 409 when the lock stayed busy for the whole wait.
 */
@RestController
@RequestMapping("/api/inventory-report")
class InventoryReportController {

	private final InventoryReport report;

	InventoryReportController(InventoryReport report) {
		this.report = report;
	}

	@GetMapping
	List<InventoryController.StockLevel> report(@RequestParam("sku") List<String> skus) {
		return this.report.report(skus);
	}

	@PostMapping("/restock")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void restock(@RequestBody Restock request) {
		if (request.skus() == null || request.skus().isEmpty() || request.stock() == null || request.stock() < 0) {
			throw new IllegalArgumentException("'skus' must not be empty and 'stock' must be a number of at least 0");
		}
		this.report.restock(request.skus(), request.stock());
	}

	/** The body of a restock. */
	record Restock(List<String> skus, Long stock) {
	}

}
