package dev.redisstarter.docs.lock;

import java.time.Duration;

import org.springframework.stereotype.Service;

import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.FencingToken;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.LockNotAcquiredException;
import dev.redisstarter.lock.WithLock;

interface Warehouse {

    void dispatch(String orderId, long fencingToken);

    void cancel(String orderId, FencingToken token);

}

// tag::usage[]
@Service
class Shipping {
    private final DistributedLock locks;
    private final Warehouse warehouse;
    Shipping(DistributedLock locks, Warehouse warehouse) { this.locks = locks; this.warehouse = warehouse; }

    void ship(String orderId) {
        try (LockLease lease = locks.tryAcquire("order:" + orderId, Duration.ofSeconds(5))
                .orElseThrow(() -> new LockNotAcquiredException("order:" + orderId, Duration.ofSeconds(5)))) {
            warehouse.dispatch(orderId, lease.fencingToken());   // the store refuses tokens older than the last it saw
        }
    }

    @WithLock(key = "'order:' + #orderId", waitTime = "5s")        // released when the method ends
    void cancel(String orderId, FencingToken token) {                // pass null; receives the lease's token
        warehouse.cancel(orderId, token);
    }

    String report() { return locks.withLock("daily-report", Duration.ZERO, this::build); }

    private String build() { return "report"; }
}
// end::usage[]
