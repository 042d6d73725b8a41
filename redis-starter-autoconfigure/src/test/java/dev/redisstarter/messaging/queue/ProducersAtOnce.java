package dev.redisstarter.messaging.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Producers started together on threads of their own, so that their enqueues overlap. */
final class ProducersAtOnce {

	/** How many producers run at once. */
	static final int THREADS = 16;

	private ProducersAtOnce() {
	}

	/** Runs the body on {@value #THREADS} threads started together, returning what each returned, in order. */
	static <T> List<T> run(ProducerBody<T> body) {
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			CyclicBarrier start = new CyclicBarrier(THREADS);
			List<Future<T>> results = new ArrayList<>();
			for (int producer = 0; producer < THREADS; producer++) {
				int number = producer;
				Callable<T> task = () -> {
					start.await(10, TimeUnit.SECONDS);
					return body.run(number);
				};
				results.add(threads.submit(task));
			}
			List<T> values = new ArrayList<>();
			for (Future<T> result : results) {
				values.add(result.get(60, TimeUnit.SECONDS));
			}
			return values;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			threads.shutdownNow();
		}
	}

	/** One producer's work. */
	@FunctionalInterface
	interface ProducerBody<T> {

		T run(int producer) throws Exception;

	}

}
