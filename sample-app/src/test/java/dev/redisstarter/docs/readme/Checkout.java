package dev.redisstarter.docs.readme;

// tag::readme[]
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.stereotype.Service;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.messaging.stream.StreamPublisher;

@Service
public class Checkout {
    public record Order(String item, int quantity) {}
    final List<Order> fulfilled = new CopyOnWriteArrayList<>();
    private final StreamPublisher streams;
    public Checkout(StreamPublisher streams) { this.streams = streams; }

    public RecordId place(Order order) { return streams.add("orders", order); }  // XADD, JSON payload

    @StreamListener(stream = "orders", group = "fulfilment", concurrency = 2)    // acknowledged after it returns
    void fulfil(Order order) { fulfilled.add(order); }                           // throws: retried, then dead-lettered
}
// end::readme[]
