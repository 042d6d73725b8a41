package dev.redisstarter.docs.lock;

import java.time.Duration;
import java.util.Optional;

import org.springframework.stereotype.Service;

import dev.redisstarter.lock.DistributedReadWriteLock;
import dev.redisstarter.lock.DistributedSemaphore;
import dev.redisstarter.lock.FencingToken;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.PermitLease;
import dev.redisstarter.lock.WithPermit;
import dev.redisstarter.lock.WithReadLock;
import dev.redisstarter.lock.WithWriteLock;

interface PriceList {

    String render(String region);

    void reprice(String region, long fencingToken);

}

// tag::usage[]
@Service
class Catalogue {
    private final DistributedReadWriteLock locks;
    private final DistributedSemaphore semaphores;
    private final PriceList prices;
    Catalogue(DistributedReadWriteLock locks, DistributedSemaphore semaphores, PriceList prices) {
        this.locks = locks; this.semaphores = semaphores; this.prices = prices;
    }

    @WithReadLock(key = "'prices:' + #region", waitTime = "2s")      // many readers at once, across instances
    String report(String region) { return prices.render(region); }

    @WithWriteLock(key = "'prices:' + #region", waitTime = "5s")     // alone; waiting, it holds off new readers
    void reprice(String region, FencingToken token) {                 // pass null; receives the write token
        prices.reprice(region, token.value());
    }

    void repriceByHand(String region) {
        try (LockLease lease = locks.tryWriteLock("prices:" + region, Duration.ofSeconds(5)).orElseThrow()) {
            prices.reprice(region, lease.fencingToken());             // renewed while held, released on close
        }
    }

    @WithPermit(key = "'exports'", limit = 4, waitTime = "1s")       // at most 4 at once; else 409
    byte[] export(String region) { return prices.render(region).getBytes(); }

    boolean exportIfFree(String region) {
        Optional<PermitLease> permit = semaphores.tryAcquire("exports", 4, 1, Duration.ZERO);
        if (permit.isEmpty()) return false;                            // 4 exports already running somewhere
        try (PermitLease held = permit.get()) {                        // its lease ends if this JVM dies
            prices.render(region);
            return true;
        }
    }
}
// end::usage[]
