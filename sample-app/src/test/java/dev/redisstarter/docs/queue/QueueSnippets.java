package dev.redisstarter.docs.queue;

import java.time.Duration;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

import dev.redisstarter.messaging.RetryBackoff;
import dev.redisstarter.messaging.queue.JobContext;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobOptions;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobSchedule;
import dev.redisstarter.messaging.queue.MissedTicks;

class AddressException extends Exception {
}

interface Smtp {

    void send(String to, String subject, String idempotencyKey) throws AddressException;

}

record Digest(String edition) {
}

interface Digests {

    void send(Digest digest);

}

// tag::usage[]
record Email(String to, String subject) {}

@Service
class Signup {
    private final JobQueue jobs;
    Signup(JobQueue jobs) { this.jobs = jobs; }

    String welcome(String address) {
        return jobs.enqueue("emails", new Email(address, "Welcome"));                  // the job's id
    }

    String reminder(String address) {
        return jobs.enqueue("emails", new Email(address, "Still there?"), JobOptions.defaults()
            .withDelay(Duration.ofDays(3))                                             // or withRunAt(instant)
            .withPriority(-10)                                                         // -1000..1000, higher first
            .withAttempts(5)
            .withBackoff(RetryBackoff.exponential(Duration.ofSeconds(10), Duration.ofHours(1)))
            .withAttemptTimeout(Duration.ofSeconds(30))
            .withDeduplication("reminder:" + address, Duration.ofDays(3)));           // the same key within 3 days: the same job
    }
}

@Component
class Mailer {
    private final Smtp smtp;
    Mailer(Smtp smtp) { this.smtp = smtp; }

    @JobHandler(queue = "emails", concurrency = 8, noRetryFor = AddressException.class)
    void send(Email email, JobContext job) throws Exception {                          // JobContext is optional
        smtp.send(email.to(), email.subject(), job.id());                             // job.id(): a stable idempotency key
        job.reportProgress(Map.of("sent", true));                                     // readable with JobQueue.job(...)
    }                                                                                  // returns: completed; throws: retried
}
// end::usage[]

@Component
class DailyDigest {
    private final Digests digests;
    DailyDigest(Digests digests) { this.digests = digests; }

    // tag::schedule[]
    @JobHandler(queue = "digests")
    @JobSchedule(name = "daily-digest", cron = "0 0 7 * * *", zone = "Europe/Paris", missed = MissedTicks.RUN_ONCE)
    void digest(Digest digest) { digests.send(digest); }  // payload = "null" by default: digest is null
    // end::schedule[]
}
