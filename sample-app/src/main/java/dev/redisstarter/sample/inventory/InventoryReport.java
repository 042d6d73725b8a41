package dev.redisstarter.sample.inventory;

import java.util.List;

import org.springframework.stereotype.Service;

import dev.redisstarter.lock.WithReadLock;
import dev.redisstarter.lock.WithWriteLock;

/**
 * A report over several stock levels under a read lock, and a restock of several under the write lock of the same
 * name: reports run side by side, in any instance, and never see a restock half done.
 */
@Service
public class InventoryReport {

	private final Inventory inventory;

	InventoryReport(Inventory inventory) {
		this.inventory = inventory;
	}

	/**
	 * The stock levels of some SKUs, read together.
	 * @param skus the SKUs
	 * @return their levels (-1 for an unknown SKU)
	 */
	@WithReadLock(key = "'inventory-report'", waitTime = "2s")
	public List<InventoryController.StockLevel> report(List<String> skus) {
		return skus.stream()
			.map((sku) -> new InventoryController.StockLevel(sku, this.inventory.stock(sku).orElse(-1)))
			.toList();
	}

	/**
	 * Sets the same stock level on several SKUs, with no report in between.
	 * @param skus the SKUs
	 * @param stock the level
	 */
	@WithWriteLock(key = "'inventory-report'", waitTime = "5s")
	public void restock(List<String> skus, long stock) {
		skus.forEach((sku) -> this.inventory.set(sku, stock, null));
	}

}
