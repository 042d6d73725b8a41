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

    private final MessageBus bus;

    final List<PriceChanged> received = new CopyOnWriteArrayList<>();

    public PriceEvents(MessageBus bus) {
        this.bus = bus;
    }

    public long change(String sku, long cents) {
        return bus.publish("prices", new PriceChanged(sku, cents));  // JSON; how many instances received it
    }

    @RedisListener("prices")                                          // every instance; at most once
    void onPriceChanged(PriceChanged change) {
        received.add(change);
    }
}
// end::readme[]
