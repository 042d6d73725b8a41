package dev.redisstarter.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.RedisPermissionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The bookkeeping of deferred invalidations, without Redis. */
class DeferredInvalidationsTests {

	private final List<List<String>> sent = new ArrayList<>();

	private DeferredInvalidations deferred;

	@Test
	void aTagDeferredAgainWhileItsRetryIsInFlightStaysPending() {
		this.deferred = new DeferredInvalidations(10, 1000, (tags) -> {
			this.sent.add(tags);
			if (this.sent.size() == 1) {
				// Another invalidation of the same tag fails while the retry is on its way.
				this.deferred.defer(List.of("product:1"), new RedisConnectionFailureException("down"));
			}
			return tags.size();
		}, CacheMetrics.NONE, Runnable::run);
		this.deferred.defer(List.of("product:1"), new RedisConnectionFailureException("down"));
		this.deferred.retryNow();
		assertThat(this.deferred.anyPending(Map.of("product:1", "v"))).as("the newer deferral was not sent yet").isTrue();
		this.deferred.retryNow();
		assertThat(this.deferred.anyPending(Map.of("product:1", "v"))).isFalse();
		assertThat(this.sent).hasSize(2);
	}

	@Test
	void pastItsCapacityFurtherTagsAreDroppedButKnownOnesAreKept() {
		this.deferred = new DeferredInvalidations(2, 1000, (tags) -> {
			throw new RedisConnectionFailureException("still down");
		}, CacheMetrics.NONE, Runnable::run);
		this.deferred.defer(List.of("a", "b", "c"), new RedisConnectionFailureException("down"));
		assertThat(this.deferred.size()).isEqualTo(2);
		this.deferred.defer(List.of("a"), new RedisConnectionFailureException("down"));
		assertThat(this.deferred.size()).isEqualTo(2);
		this.deferred.retryNow();
		assertThat(this.deferred.size()).as("a failed retry keeps them").isEqualTo(2);
	}

	@Test
	void aRetryRefusedByPermissionKeepsTheTagsAndKeepsRetrying() throws InterruptedException {
		AtomicInteger attempts = new AtomicInteger();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			this.deferred = new DeferredInvalidations(10, 20, (tags) -> {
				if (attempts.incrementAndGet() <= 2) {
					// Redis came back with the channel not granted; granted later.
					throw new RedisPermissionException(Feature.CACHE, "evalsha", "NOPERM channel",
							new IllegalStateException("NOPERM"));
				}
				return tags.size();
			}, CacheMetrics.NONE, executor);
			this.deferred.defer(List.of("product:1"), new RedisConnectionFailureException("down"));
			long deadline = System.nanoTime() + 2_000_000_000L;
			while (this.deferred.size() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(this.deferred.size()).as("sent once granted, not stuck after the refused retries").isZero();
			assertThat(attempts).hasValue(3);
		}
		finally {
			executor.shutdownNow();
		}
	}

}
