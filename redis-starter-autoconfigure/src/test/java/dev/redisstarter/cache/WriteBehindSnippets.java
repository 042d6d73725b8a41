package dev.redisstarter.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The write-behind snippets of {@code docs/cache.md}, compiled. */
final class WriteBehindSnippets {

	private WriteBehindSnippets() {
	}

	record ProductViews(long productId, long views) {
	}

	interface ProductViewsRepository {

		void upsertAll(List<ProductViews> rows);

		void deleteAll(Set<String> keys);

	}

	// tag::writer[]
	// A bean: the writer of every write-behind cache (or of those whose write-behind.writer names it)
	static class ProductViewsWriter implements WriteBehindWriter<ProductViews> {

		private final ProductViewsRepository repository;

		ProductViewsWriter(ProductViewsRepository repository) {
			this.repository = repository;
		}

		@Override
		public void write(String cache, Map<String, ProductViews> upserts, Set<String> deletes) {
			// Each key once, its last write; a batch may come again after a crash: upserts and deletes are idempotent
			this.repository.upsertAll(List.copyOf(upserts.values()));
			this.repository.deleteAll(deletes);
		}

	}
	// end::writer[]

	static void use(CacheService cache, WriteBehind writeBehind, long id, long views) {
		// tag::use[]
		cache.set("views:" + id, new ProductViews(id, views), Duration.ofHours(1)); // in Redis and its stream, or thrown
		cache.get("views:" + id, ProductViews.class);                               // the cached value, persisted or not
		cache.delete("views:" + id);                                                // cached as absent, deleted later
		writeBehind.deadLetters("views", 10).forEach(writeBehind::replay);          // key, value, error; replay persists
		// end::use[]
	}

}
