package dev.redisstarter.messaging.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A group's gauges show what the group's current consumer measures, also after a consumer was created again. */
class StreamMetricsTests {

	@Test
	void aConsumerCreatedAgainForTheSameGroupFeedsTheGaugesRegisteredFirst() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		StreamMetrics metrics = new StreamMetrics(registry, true);
		StreamMetrics.Meters first = metrics.forGroup("orders", "billing");
		first.lag.set(5);

		StreamMetrics.Meters again = metrics.forGroup("orders", "billing");
		again.lag.set(42);
		again.pending.set(7);

		assertThat(registry.get("redis.starter.stream.lag").tags("stream", "orders", "group", "billing").gauge().value())
			.isEqualTo(42);
		assertThat(registry.get("redis.starter.stream.pending").tags("stream", "orders", "group", "billing").gauge()
			.value()).isEqualTo(7);
		assertThat(metrics.forGroup("orders", "shipping")).isNotSameAs(again);
	}

}
