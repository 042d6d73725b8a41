package dev.redisstarter.core;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.messaging.pubsub.KeyEvent;
import dev.redisstarter.messaging.pubsub.KeyEventListener;
import dev.redisstarter.messaging.queue.JobContext;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.stream.StreamDelivery;
import dev.redisstarter.messaging.stream.StreamListener;

import static org.assertj.core.api.Assertions.assertThat;

/** What a GraalVM native image of an application needs from the starter is registered as runtime hints. */
class StarterRuntimeHintsTests {

	record Email(String to, String subject) {
	}

	record Order(String item, int quantity) {
	}

	static class Handlers {

		@JobHandler(queue = "emails")
		void send(Email email, JobContext context) {
		}

		@StreamListener(stream = "orders")
		void order(Order order, StreamDelivery delivery) {
		}

		@KeyEventListener(events = "expired")
		void expired(KeyEvent event) {
		}

		void notAHandler(String text) {
		}

	}

	@Test
	void everyLuaScriptOfTheStarterIsARegisteredResource() throws IOException {
		RuntimeHints hints = new RuntimeHints();
		new StarterRuntimeHints().registerHints(hints, getClass().getClassLoader());
		Resource[] scripts = new PathMatchingResourcePatternResolver().getResources("classpath*:dev/redisstarter/**/*.lua");
		assertThat(scripts).as("the scripts were found").hasSizeGreaterThan(40);
		for (Resource script : scripts) {
			String path = script.getURL().toString().replaceFirst(".*?/(dev/redisstarter/.*)$", "$1");
			assertThat(RuntimeHintsPredicates.resource().forResource(path)).as(path).accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/redisstarter/other.txt")).rejects(hints);
	}

	@Test
	void theAutoConfigurationImportsTheHints() {
		ImportRuntimeHints imported = RedisStarterAutoConfiguration.class.getAnnotation(ImportRuntimeHints.class);
		assertThat(imported).isNotNull();
		assertThat(List.of(imported.value())).contains(StarterRuntimeHints.class);
	}

	@Test
	void handlerMethodsAreInvokableAndTheirPayloadsBindable() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Handlers.class);
		for (String method : List.of("send", "order", "expired")) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, method)).as(method)
				.accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "notAHandler")).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Email.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Order.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(JobContext.class)).as("the starter's own types need none")
			.rejects(hints);
	}

}
