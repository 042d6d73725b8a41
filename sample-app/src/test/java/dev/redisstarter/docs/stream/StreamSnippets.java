package dev.redisstarter.docs.stream;

import java.util.List;

import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

import dev.redisstarter.messaging.stream.StreamDelivery;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.messaging.stream.StreamPublisher;

record Price(String sku, long cents) {
}

interface Warehouse {

    void ship(Order order, boolean maybeShippedBefore);

    void count(int orders);

    void update(Price price);

}

// tag::usage[]
record Order(String item, int quantity) {}

@Service
class Checkout {
    private final StreamPublisher streams;
    Checkout(StreamPublisher streams) { this.streams = streams; }

    RecordId place(Order order) { return streams.add("orders", order); }       // JSON in the 'payload' field
}

@Component
class Fulfilment {
    private final Warehouse warehouse;
    Fulfilment(Warehouse warehouse) { this.warehouse = warehouse; }

    @StreamListener(stream = "orders", group = "fulfilment", concurrency = 4)
    void fulfil(Order order, StreamDelivery delivery) {                         // acknowledged after it returns
        boolean again = delivery.deliveries() > 1;                              // a retry or a reclaimed entry
        warehouse.ship(order, again);                                           // throw: retried, then dead-lettered
    }

    @StreamListener(stream = "orders", group = "analytics", batch = true)
    void count(List<Order> orders) { warehouse.count(orders.size()); }         // up to read-count entries per call

    @StreamListener(stream = "prices", broadcast = true)                        // a durable topic
    void price(Price price) { warehouse.update(price); }
}
// end::usage[]
