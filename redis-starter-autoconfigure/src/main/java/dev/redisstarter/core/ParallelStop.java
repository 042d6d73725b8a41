package dev.redisstarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stops several components at once, each on a thread of its own, and waits for all: each may wait its own
 * shutdown time for work in flight, and those waits should overlap rather than add up.
 */
public final class ParallelStop {

	private ParallelStop() {
	}

	/**
	 * Stops every component and returns when all have stopped.
	 * @param <T> the components
	 * @param components what to stop
	 * @param stop how to stop one
	 * @param threadName names the thread that stops one
	 */
	public static <T> void stopAll(List<T> components, Consumer<T> stop, Function<T, String> threadName) {
		List<Thread> stopping = new ArrayList<>();
		for (T component : components) {
			Thread thread = StarterThreads.background(threadName.apply(component), () -> stop.accept(component));
			thread.start();
			stopping.add(thread);
		}
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
