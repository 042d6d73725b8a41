package dev.redisstarter.docs.readme;

// tag::readme[]
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import dev.redisstarter.cache.EvictTags;
import dev.redisstarter.cache.TaggedCacheable;

@Service
public class ProductCatalogue {
    public record Product(long id, String name) {}
    private final Map<Long, Product> database = new ConcurrentHashMap<>(Map.of(1L, new Product(1, "Lamp")));

    @TaggedCacheable(cache = "products", key = "#id", tags = "'product:' + #id", ttl = "10m")
    public Product find(long id) { return database.get(id); }             // runs on a miss only

    @EvictTags("'product:' + #id")                                         // after the method returns
    public void rename(long id, String name) { database.put(id, new Product(id, name)); }
}
// end::readme[]
