package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A large payload is handled like any other, not dead-lettered unread. */
@RealRedis
class StreamPayloadSizeTests {

	record Document(String body) {
	}

	static class Documents {

		final StreamContexts.Received<Integer> sizes = new StreamContexts.Received<>();

		@StreamListener(stream = "${test.stream}", group = "archive")
		void store(Document document) {
			this.sizes.add(document.body().length());
		}

	}

	@Test
	void aFiveMegabytePayloadIsHandledAndNotDeadLettered() {
		String stream = "documents-" + UUID.randomUUID();
		Documents documents = new Documents();
		int size = 5 * 1024 * 1024;
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.timeout=5s")
			.withBean(Documents.class, () -> documents)
			.run((context) -> {
				context.getBean(StreamPublisher.class).add(stream, new Document("x".repeat(size)));
				await().atMost(Duration.ofSeconds(10)).until(() -> documents.sizes.size() == 1);
				assertThat(documents.sizes.snapshot()).containsExactly(size);
				assertThat(context.getBean(DeadLetters.class).count(stream)).isZero();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> StreamState.pendingIds(context, stream, "archive").isEmpty());
			});
	}

}
