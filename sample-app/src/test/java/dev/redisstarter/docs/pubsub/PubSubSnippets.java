package dev.redisstarter.docs.pubsub;

import java.time.Duration;

import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.support.PubSubHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

import dev.redisstarter.messaging.pubsub.KeyEvent;
import dev.redisstarter.messaging.pubsub.KeyEventListener;
import dev.redisstarter.messaging.pubsub.ListenerOptions;
import dev.redisstarter.messaging.pubsub.MessageBus;

record Quote(String sku, long cents) {
}

interface Audit {

    void record(Object event);

}

// tag::usage[]
record PriceChanged(String sku, long cents) {}

@Service
class Prices {
    private final MessageBus bus;
    Prices(MessageBus bus) { this.bus = bus; }

    void change(String sku, long cents) {
        bus.publish("prices", new PriceChanged(sku, cents));            // JSON; returns how many received it
    }

    Quote quote(String sku) {                                           // request-reply: the first answer
        return bus.request("quotes", sku, Quote.class, Duration.ofSeconds(2));
    }
}

@Component
class PriceListeners {
    private final Audit audit;
    PriceListeners(Audit audit) { this.audit = audit; }

    @RedisListener("prices")                                            // Spring's annotation
    void onPrice(PriceChanged change) { audit.record(change); }

    @RedisListener("quotes")
    Quote answer(String sku) { return new Quote(sku, 1299); }           // a return value answers a request

    @RedisListener("audit.*")                                           // a pattern
    @ListenerOptions(concurrency = 4)                                   // the starter's: 4 threads, channel order kept
    void audit(String text, @Header(PubSubHeaders.CHANNEL) ChannelTopic channel) { audit.record(text); }

    @KeyEventListener(events = "expired", keys = "shop:cart:*")        // keyspace notifications, every master
    void cartExpired(KeyEvent event) { audit.record(event); }
}
// end::usage[]
