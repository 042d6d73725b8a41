package dev.redisstarter.docs.readme;

// tag::readme[]
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Service;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobOptions;
import dev.redisstarter.messaging.queue.JobQueue;

@Service
public class Mailer {
    public record Email(String to, String subject) {}
    final List<Email> sent = new CopyOnWriteArrayList<>();
    private final JobQueue jobs;
    public Mailer(JobQueue jobs) { this.jobs = jobs; }

    public String welcome(String to) { return jobs.enqueue("emails", new Email(to, "Welcome")); }  // the job's id

    public String remind(String to) {                                       // in 3 days, up to 5 attempts
        return jobs.enqueue("emails", new Email(to, "Still there?"),
                JobOptions.defaults().withDelay(Duration.ofDays(3)).withAttempts(5));
    }

    @JobHandler(queue = "emails", concurrency = 4)                          // returns: done; throws: retried, then dead
    void send(Email email) { sent.add(email); }
}
// end::readme[]
