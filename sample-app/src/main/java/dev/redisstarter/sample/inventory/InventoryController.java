package dev.redisstarter.sample.inventory;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.redisstarter.lock.LockNotAcquiredException;

import dev.redisstarter.sample.BadRequests;

/**
 * Stock levels over HTTP: set and read a level, and reserve one unit under a distributed lock (200 while
 * stock lasts, 409 when sold out; never below zero however many instances and requests race).
 */
@RestController
@RequestMapping("/api/inventory/{sku}")
class InventoryController {

	private final Inventory inventory;

	InventoryController(Inventory inventory) {
		this.inventory = inventory;
	}

	@PutMapping
	StockLevel set(@PathVariable String sku, @RequestBody StockRequest request) {
		if (request.stock() == null || request.stock() < 0) {
			throw new IllegalArgumentException("'stock' must be a number of at least 0");
		}
		this.inventory.set(sku, request.stock(), null);
		return new StockLevel(sku, request.stock());
	}

	@GetMapping
	StockLevel get(@PathVariable String sku) {
		return new StockLevel(sku, this.inventory.stock(sku)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No stock level for '" + sku + "'")));
	}

	@PostMapping("/reserve")
	StockLevel reserve(@PathVariable String sku) {
		return new StockLevel(sku, this.inventory.reserve(sku, null));
	}

	@ExceptionHandler(Inventory.SoldOutException.class)
	ProblemDetail soldOut(Inventory.SoldOutException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	@ExceptionHandler(Inventory.StaleWriteException.class)
	ProblemDetail stale(Inventory.StaleWriteException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	@ExceptionHandler(LockNotAcquiredException.class)
	ProblemDetail busy(LockNotAcquiredException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail badRequest(IllegalArgumentException ex, HttpServletRequest request) {
		return BadRequests.problem(ex, request);
	}

	/** The body of a stock update. */
	record StockRequest(Long stock) {
	}

	/** A stock level. */
	record StockLevel(String sku, long stock) {
	}

}
