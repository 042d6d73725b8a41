package dev.redisstarter.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StarterThreadsTests {

	@Test
	void handlerThreadsAreNamedByCapabilityAndListenerAndNumberedFromOne() throws Exception {
		ExecutorService pool = StarterThreads.DEFAULTS.handlerPool("queue", "emails", 2);
		try {
			Thread first = pool.submit(Thread::currentThread).get();
			assertThat(first.getName()).isEqualTo("redis-starter-queue-emails-handler-1");
			assertThat(first.isDaemon()).as("never keeps the JVM alive").isTrue();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void backgroundThreadsAreNamedDaemonsThatAreNotStarted() throws Exception {
		Thread thread = StarterThreads.background("stream-orders-reader", () -> {
		});
		assertThat(thread.getName()).isEqualTo("redis-starter-stream-orders-reader");
		assertThat(thread.isDaemon()).isTrue();
		assertThat(thread.getState()).isEqualTo(Thread.State.NEW);
		ScheduledExecutorService scheduler = StarterThreads.backgroundScheduler("queue-emails-leases");
		try {
			assertThat(scheduler.schedule(() -> Thread.currentThread().getName(), 0, TimeUnit.MILLISECONDS).get())
				.isEqualTo("redis-starter-queue-emails-leases");
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	@Test
	void aCallIsDecoratedWhenTheApplicationHasADecoratorAndLeftAloneOtherwise() {
		AtomicReference<String> seen = new AtomicReference<>();
		Runnable call = () -> seen.set("called");
		assertThat(StarterThreads.DEFAULTS.decorate(call)).isSameAs(call);
		StarterThreads decorated = new StarterThreads(false, (runnable) -> () -> {
			seen.set("before");
			runnable.run();
		});
		Runnable wrapped = decorated.decorate(call);
		assertThat(wrapped).isNotSameAs(call);
		wrapped.run();
		assertThat(seen).hasValue("called");
		assertThat(decorated.virtualHandlers()).isFalse();
	}

}
