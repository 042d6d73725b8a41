package dev.redisstarter.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Where every thread the starter runs comes from, so that they are named alike and an application can shape the
 * ones that run its code.
 * <p>
 * Two kinds: <em>background</em> threads (connection keepers, stream readers, job fetchers, lease renewal,
 * subscriptions) are platform daemon threads named {@code redis-starter-<capability>-<name>-<role>}; <em>handler</em>
 * threads run the application's job handlers, stream listeners and pub/sub listeners, and are virtual threads when
 * {@code spring.threads.virtual.enabled} is on (Java 21 and later, as Spring Boot decides it), platform daemon
 * threads otherwise. Every handler call passes through the application's {@link TaskDecorator} when it has one
 * (MDC, tenant or security context), applied on the thread that hands the call over.
 */
public final class StarterThreads {

	/** Platform handler threads and no decorator: what a component built outside a Spring context uses. */
	public static final StarterThreads DEFAULTS = new StarterThreads(false, null);

	private static final String PREFIX = "redis-starter-";

	private final boolean virtualHandlers;

	private final @Nullable TaskDecorator decorator;

	/**
	 * @param virtualHandlers whether handler threads are virtual (only honour it on Java 21 and later)
	 * @param decorator applied to every handler call, or {@code null}
	 */
	public StarterThreads(boolean virtualHandlers, @Nullable TaskDecorator decorator) {
		this.virtualHandlers = virtualHandlers;
		this.decorator = decorator;
	}

	/** @return whether handlers run on virtual threads */
	public boolean virtualHandlers() {
		return this.virtualHandlers;
	}

	/**
	 * A fixed pool for one listener's handler calls: {@code concurrency} threads named
	 * {@code redis-starter-<capability>-<listener>-handler-<n>}. Submit work through {@link #decorate(Runnable)}.
	 * @param capability {@code queue}, {@code stream} or {@code pubsub}
	 * @param listener the queue, listener or subscription name
	 * @param concurrency the number of threads
	 * @return the pool; the caller shuts it down
	 */
	public ExecutorService handlerPool(String capability, String listener, int concurrency) {
		return Executors.newFixedThreadPool(concurrency, handlerFactory(capability, listener));
	}

	/**
	 * Makes handler threads for callers that run their own loop on each thread.
	 * @param capability {@code queue}, {@code stream} or {@code pubsub}
	 * @param listener the queue, listener or subscription name
	 * @return a factory of virtual or platform daemon threads, numbered from 1
	 */
	public ThreadFactory handlerFactory(String capability, String listener) {
		String name = PREFIX + capability + "-" + listener + "-handler-";
		if (this.virtualHandlers) {
			return new VirtualThreadTaskExecutor(name).getVirtualThreadFactory();
		}
		AtomicInteger count = new AtomicInteger();
		return (task) -> daemon(name + count.incrementAndGet(), task);
	}

	/**
	 * Wraps one handler call in the application's decorator.
	 * @param call the call
	 * @return the decorated call, or {@code call} itself when there is no decorator
	 */
	public Runnable decorate(Runnable call) {
		return (this.decorator != null) ? this.decorator.decorate(call) : call;
	}

	/**
	 * A background thread, not started.
	 * @param name its name after {@code redis-starter-}, such as {@code queue-emails-fetcher}
	 * @param task what it runs
	 * @return a platform daemon thread
	 */
	public static Thread background(String name, Runnable task) {
		return daemon(PREFIX + name, task);
	}

	/**
	 * A single background thread that runs scheduled tasks.
	 * @param name its name after {@code redis-starter-}
	 * @return the executor; the caller shuts it down
	 */
	public static ScheduledExecutorService backgroundScheduler(String name) {
		return Executors.newSingleThreadScheduledExecutor((task) -> background(name, task));
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
