package dev.redisstarter.sample.orders;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

import dev.redisstarter.messaging.stream.StreamDelivery;
import dev.redisstarter.messaging.stream.StreamListener;

/**
 * Fulfils orders from the {@code orders} stream in the consumer group {@value #GROUP}: every order is handled by
 * one instance of the group, and acknowledged once {@link #fulfil} returns. A stand-in for a warehouse: fulfilling
 * is logging the order and remembering it (the last {@value #KEPT}, in this instance's memory only). An order of
 * {@value #POISON} always fails, so it is delivered again after a backoff, up to the stream's
 * {@code max-deliveries}, then moved to the dead letters.
 */
@Component
class Fulfilment {

	static final String GROUP = "fulfilment";

	static final String POISON = "poison";

	private static final int KEPT = 100;

	private static final Log logger = LogFactory.getLog(Fulfilment.class);

	private final Deque<FulfilledOrder> recent = new ArrayDeque<>(KEPT);

	/**
	 * Fulfils an order; an exception leaves it pending for another delivery.
	 * @param order the order
	 * @param delivery its entry id and delivery count
	 */
	@StreamListener(stream = OrdersController.STREAM, group = GROUP, concurrency = 2)
	void fulfil(Order order, StreamDelivery delivery) {
		if (POISON.equals(order.item())) {
			throw new IllegalStateException("The warehouse refuses to ship '" + POISON + "'");
		}
		FulfilledOrder fulfilled = new FulfilledOrder(delivery.id().getValue(), order.item(), order.quantity(),
				delivery.deliveries(), Instant.now());
		synchronized (this.recent) {
			if (this.recent.size() == KEPT) {
				this.recent.removeLast();
			}
			this.recent.addFirst(fulfilled);
		}
		logger.info("Fulfilled order " + fulfilled.id() + ": " + order.quantity() + " x " + order.item());
	}

	/**
	 * The orders this instance fulfilled last.
	 * @return at most {@value #KEPT}, newest first
	 */
	List<FulfilledOrder> recent() {
		synchronized (this.recent) {
			return List.copyOf(this.recent);
		}
	}

}
