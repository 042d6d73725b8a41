package dev.redisstarter.console;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One run of an expensive read at a time: a caller that comes while it runs gets that run's answer (or its failure)
 * instead of starting another, so that operators opening a page together cost Redis one bounded scan, not one each.
 *
 * @param <T> the answer
 */
final class SingleFlight<T> {

	private final AtomicReference<@Nullable CompletableFuture<T>> running = new AtomicReference<>();

	T get(Supplier<T> read) {
		CompletableFuture<T> mine = new CompletableFuture<>();
		CompletableFuture<T> current = this.running.compareAndExchange(null, mine);
		if (current != null) {
			try {
				return current.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
		}
		try {
			T answer = read.get();
			mine.complete(answer);
			return answer;
		}
		catch (RuntimeException | Error ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.running.set(null);
		}
	}

}
