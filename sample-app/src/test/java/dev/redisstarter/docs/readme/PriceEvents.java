package dev.redisstarter.docs.readme;

// tag::readme[]
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.stereotype.Service;
import dev.redisstarter.messaging.pubsub.MessageBus;

@Service
public class PriceEvents {
    public record PriceChanged(String sku, long cents) {}
    final List<PriceChanged> received = new CopyOnWriteArrayList<>();
    private final MessageBus bus;
    public PriceEvents(MessageBus bus) { this.bus = bus; }

    public long change(String sku, long cents) {                           // JSON; returns how many received it
        return bus.publish("prices", new PriceChanged(sku, cents));
    }

    @RedisListener("prices")                                               // on every instance, at most once
    void onPriceChanged(PriceChanged change) { received.add(change); }
}
// end::readme[]
