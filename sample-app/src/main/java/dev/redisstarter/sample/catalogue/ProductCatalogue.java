package dev.redisstarter.sample.catalogue;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.EvictTags;
import dev.redisstarter.cache.TaggedCacheable;

/**
 * The catalogue, read through the cache: each product is tagged with its id and its category, so an update
 * evicts the product and a category can be invalidated as a whole.
 */
@Service
public class ProductCatalogue {

	/** Request attribute set when a read went to the database (a cache miss). */
	static final String LOADED = ProductCatalogue.class.getName() + ".loaded";

	private final ProductRepository products;

	private final CacheService cache;

	ProductCatalogue(ProductRepository products, CacheService cache) {
		this.products = products;
		this.cache = cache;
	}

	/**
	 * A product, from the cache or the database.
	 * @param id the product's id
	 * @return the product, or {@code null} when there is none (cached as absent for the null TTL)
	 */
	@TaggedCacheable(cache = "products", key = "#id", tags = { "'product:' + #id", "'category:' + #result.category" })
	public @Nullable Product find(long id) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null) {
			request.setAttribute(LOADED, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
		}
		return this.products.find(id).orElse(null);
	}

	/**
	 * Updates a product in the database, then evicts it from the cache.
	 * @param product the new state
	 * @return whether the product exists
	 */
	@EvictTags("'product:' + #product.id")
	public boolean update(Product product) {
		return this.products.update(product);
	}

	/**
	 * Makes every cached product of a category unreadable.
	 * @param category the category
	 * @return how many tag records there were (0 when nothing of the category was cached)
	 */
	public long invalidateCategory(String category) {
		return this.cache.invalidateTags("category:" + category);
	}

}
