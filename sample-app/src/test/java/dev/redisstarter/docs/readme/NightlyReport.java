package dev.redisstarter.docs.readme;

// tag::readme[]
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Service;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.WithLock;

@Service
public class NightlyReport {
    private final DistributedLock locks;
    public NightlyReport(DistributedLock locks) { this.locks = locks; }

    public boolean runOnce() {                                             // one instance of many runs it
        Optional<LockLease> acquired = locks.tryAcquire("nightly-report", Duration.ZERO);
        if (acquired.isEmpty()) return false;                              // another instance holds it
        try (LockLease lease = acquired.get()) {                           // renewed while held, released on close
            write(lease.fencingToken());                                   // a store can refuse stale tokens
            return true;
        }
    }

    @WithLock(key = "'invoice:' + #invoiceId", waitTime = "5s")           // else LockNotAcquiredException (409)
    public void settle(String invoiceId) { }
    private void write(long fencingToken) { }
}
// end::readme[]
