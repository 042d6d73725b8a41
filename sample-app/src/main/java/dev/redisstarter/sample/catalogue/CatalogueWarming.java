package dev.redisstarter.sample.catalogue;

import java.util.List;
import java.util.stream.LongStream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.redisstarter.cache.CacheWarmer;

/**
 * Warms the featured products (ids 1 to {@code sample.catalogue.warmed-products}, 10 by default) at start-up, with
 * the keys and tags {@link ProductCatalogue#find} gives them, so their first GET is already a HIT; readiness waits
 * for it (redis.starter.cache.warming.*).
 */
@Configuration(proxyBeanMethods = false)
class CatalogueWarming {

	@Bean
	CacheWarmer featuredProductsWarmer(ProductRepository products,
			@Value("${sample.catalogue.warmed-products:10}") int featured) {
		return CacheWarmer.ofKeys("products",
				() -> LongStream.rangeClosed(1, featured).mapToObj(String::valueOf).toList(),
				(id) -> products.find(Long.parseLong(id)).orElse(null),
				(product) -> List.of("product:" + product.id(), "category:" + product.category()));
	}

}
