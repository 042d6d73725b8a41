package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.task.TaskDecorator;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.core.types.Expiration;

import dev.redisstarter.messaging.pubsub.KeyEvent;
import dev.redisstarter.messaging.pubsub.KeyEventListener;
import dev.redisstarter.messaging.pubsub.MessageBus;
import dev.redisstarter.core.subscription.PubSubSubscriber;

import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of listener (job handlers, stream listeners, pub/sub listeners, key-event listeners) runs the
 * application's code on the starter's handler threads: through the application's {@link TaskDecorator}, on
 * virtual threads when {@code spring.threads.virtual.enabled} is on and the JVM has them.
 */
@Tag("virtual-threads")
class HandlerThreadsTests {

	private static final int CALLS = 5;

	private static final List<String> KINDS = List.of("queue", "stream", "pubsub", "keyevent");

	/** What one handler call saw. */
	record Call(String thread, boolean virtual, String tenant) {
	}

	static class Handlers {

		final Map<String, List<Call>> calls = new ConcurrentHashMap<>();

		@JobHandler(queue = "threads-jobs", concurrency = 2)
		void job(String payload) {
			record("queue");
		}

		@StreamListener(stream = "threads-stream", group = "threads", concurrency = 2)
		void entry(String payload) {
			record("stream");
		}

		@RedisListener("threads-channel")
		void message(String payload) {
			record("pubsub");
		}

		@KeyEventListener(events = "expired", keys = "threads:*")
		void expired(KeyEvent event) {
			record("keyevent");
		}

		private void record(String kind) {
			Thread thread = Thread.currentThread();
			this.calls.computeIfAbsent(kind, (key) -> new CopyOnWriteArrayList<>())
				.add(new Call(thread.getName(), isVirtual(thread), MDC.get("tenant")));
		}

	}

	/** Sets the tenant in the MDC around each call, as applications do for logging and security context. */
	static final class TenantDecorator implements TaskDecorator {

		final List<Thread> decoratedOn = new CopyOnWriteArrayList<>();

		@Override
		public Runnable decorate(Runnable runnable) {
			this.decoratedOn.add(Thread.currentThread());
			return () -> {
				MDC.put("tenant", "acme");
				try {
					runnable.run();
				}
				finally {
					MDC.remove("tenant");
				}
			};
		}

	}

	private static ApplicationContextRunner runner(LocalRedisServer server) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterListenerAutoConfiguration.class,
					RedisStarterMessagingAutoConfiguration.class, RedisStarterStreamsAutoConfiguration.class,
					RedisStarterRateLimitAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class))
			.withPropertyValues(server.propertyValues())
			.withPropertyValues("redis.starter.key-prefix=" + UUID.randomUUID().toString().substring(0, 8) + ":",
					"redis.starter.messaging.keyspace.configure-server=true",
					"redis.starter.stream.defaults.read-block=200ms",
					"redis.starter.queue.shutdown-wait=2s", "redis.starter.stream.shutdown-wait=2s")
			.withBean(Handlers.class);
	}

	@Test
	void everyListenerKindRunsEachHandlerCallThroughTheApplicationsTaskDecorator() {
		TenantDecorator decorator = new TenantDecorator();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).withBean(TaskDecorator.class, () -> decorator).run((context) -> {
				Map<String, List<Call>> calls = sendAndAwait(context);
				for (String kind : KINDS) {
					assertThat(calls.get(kind)).as(kind).hasSizeGreaterThanOrEqualTo(CALLS)
						.allSatisfy((call) -> assertThat(call.tenant()).as(kind + " " + call).isEqualTo("acme"))
						.allSatisfy((call) -> assertThat(call.thread()).as(kind)
							.startsWith("redis-starter-" + kind.replace("keyevent", "pubsub") + "-"))
						.noneMatch(Call::virtual);
				}
				assertThat(decorator.decoratedOn).as("decorated once per call, on the thread that hands it over")
					.hasSizeGreaterThanOrEqualTo(KINDS.size() * CALLS);
			});
		}
	}

	@Test
	void withoutATaskDecoratorHandlersSeeNoContextLeftByOtherCalls() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				Map<String, List<Call>> calls = sendAndAwait(context);
				for (String kind : KINDS) {
					assertThat(calls.get(kind)).as(kind).allSatisfy((call) -> assertThat(call.tenant()).isNull());
				}
			});
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void withVirtualThreadsEnabledEveryListenerKindRunsItsHandlersOnVirtualThreads() {
		TenantDecorator decorator = new TenantDecorator();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).withPropertyValues("spring.threads.virtual.enabled=true")
				.withBean(TaskDecorator.class, () -> decorator)
				.run((context) -> {
					Map<String, List<Call>> calls = sendAndAwait(context);
					for (String kind : KINDS) {
						assertThat(calls.get(kind)).as(kind).allMatch(Call::virtual)
							.allSatisfy((call) -> assertThat(call.tenant()).isEqualTo("acme"))
							.allSatisfy((call) -> assertThat(call.thread()).contains("-handler-"));
					}
				});
		}
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void withVirtualThreadsEnabledOnAJvmWithoutThemHandlersRunOnPlatformThreadsAsSpringBootDoes() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, List<Call>> calls = sendAndAwait(context);
				for (String kind : KINDS) {
					assertThat(calls.get(kind)).as(kind).noneMatch(Call::virtual);
				}
			});
		}
	}

	private static Map<String, List<Call>> sendAndAwait(ApplicationContext context) throws Exception {
		context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
		JobQueue jobs = context.getBean(JobQueue.class);
		StreamPublisher streams = context.getBean(StreamPublisher.class);
		MessageBus bus = context.getBean(MessageBus.class);
		try (var connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
			for (int i = 0; i < CALLS; i++) {
				jobs.enqueue("threads-jobs", "job-" + i);
				streams.add("threads-stream", "entry-" + i);
				bus.publish("threads-channel", "message-" + i);
				connection.stringCommands().set(("threads:" + i).getBytes(), "x".getBytes(),
						Expiration.milliseconds(50), RedisStringCommands.SetOption.upsert());
			}
		}
		Handlers handlers = context.getBean(Handlers.class);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			for (String kind : KINDS) {
				assertThat(handlers.calls.getOrDefault(kind, List.of())).as(kind).hasSizeGreaterThanOrEqualTo(CALLS);
			}
		});
		return handlers.calls;
	}

	/** {@code Thread.isVirtual()} exists from Java 21; the starter is compiled for 17. */
	private static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

}
