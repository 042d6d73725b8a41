package dev.redisstarter.docs.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.cache.EvictTags;
import dev.redisstarter.cache.TaggedCacheable;

/** The snippets of docs/cache.md. */
final class CacheSnippets {

    private CacheSnippets() {
    }

    static void service(CacheService cache, ProductRepository repository, long id, Collection<String> keys,
            Map<String, Product> entries) {
        // tag::service[]
        Product product = cache.getOrLoad("products:" + id, Product.class, Duration.ofMinutes(10), () -> repository.find(id));
        cache.set("products:" + id, product, Duration.ofMinutes(10), "product:" + id, "category:" + product.category());
        cache.invalidateTags("category:lamps");        // every entry carrying the tag is now a miss, on any node
        Optional<Product> cached = cache.get("products:" + id, Product.class);
        Map<String, Product> many = cache.getAll(keys, Product.class);   // one MGET per slot, sent together
        cache.setAll(entries, Duration.ofMinutes(10));                   // SETs sent together: one round trip per node
        cache.writeThrough("products:" + id, product, Duration.ofMinutes(10), repository::save, "product:" + id);
        cache.invalidatePattern("products:*");         // SCAN on every master, UNLINK in batches, never KEYS
        // end::service[]
    }

}

record Product(long id, String name, String category) {
}

record ProductChange(String name) {
}

interface ProductRepository {

    Product find(long id);

    void save(Product product);

    void update(long id, ProductChange change);

    List<Long> bestSellers(int count);

}

// tag::annotations[]
@Service
class Catalogue {
    private final ProductRepository repository;
    Catalogue(ProductRepository repository) { this.repository = repository; }

    @TaggedCacheable(cache = "products", key = "#id", tags = {"'product:' + #id", "'category:' + #result.category"})
    Product find(long id) { return repository.find(id); }   // also List<Product>, Optional<Product>, Map<String, Price>

    @EvictTags({"'product:' + #id"})                    // after the method returns normally (beforeInvocation = true: before)
    void update(long id, ProductChange change) { repository.update(id, change); }
}
// end::annotations[]

// tag::warming[]
@Configuration
class CatalogueWarming {
    @Bean
    CacheWarmer productsWarmer(ProductRepository repository) {
        // Keys within the cache "products" (entries "products:<id>", as @TaggedCacheable names them), loaded 4 at a time
        return CacheWarmer.ofKeys("products",
                () -> repository.bestSellers(500).stream().map(String::valueOf).toList(),
                (id) -> repository.find(Long.parseLong(id)),
                (product) -> List.of("product:" + product.id(), "category:" + product.category()));
    }
}
// end::warming[]
