package dev.redisstarter.messaging.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import dev.redisstarter.messaging.stream.ConsumerStatus;
import dev.redisstarter.messaging.stream.StreamListeners;
import dev.redisstarter.messaging.queue.JobContext;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.test.schedule.DownstreamSwitch;
import dev.redisstarter.test.schedule.EventLedger;

/**
 * A consumer process of a fault schedule, started by {@code JvmProcess}: a job handler, a work-group stream
 * listener and a durable-topic listener, each recording in this process's ledger what it started and handled,
 * the durable topic's gap count whenever it changes, and its meter readings ({@link MeterReadings}) whenever one
 * changes, so that a test can compare them with the ledger even after the process was killed. Configured by system properties (the Redis URL, the
 * starter's settings, the ledger's run directory and process name); prints {@code ready} once it consumes.
 */
public final class ScheduleWorker {

	static final String JOB_STARTED = "job-started";

	static final String JOB_HANDLED = "job-handled";

	static final String ENTRY_STARTED = "entry-started";

	static final String ENTRY_HANDLED = "entry-handled";

	static final String TOPIC_HANDLED = "topic-handled";

	static final String GAPS = "gaps";

	static final String METERS = "meters";

	/**
	 * How long each handler works: long enough that a kill finds handlers mid-way (the producer's pace keeps the
	 * workers' handlers about half busy), short enough that a backlog clears in seconds.
	 */
	static final Duration WORK = Duration.ofMillis(100);

	private ScheduleWorker() {
	}

	public static void main(String[] args) throws InterruptedException {
		EventLedger ledger = EventLedger.fromSystemProperties();
		DownstreamSwitch downstream = DownstreamSwitch.in(Path.of(System.getProperty(EventLedger.RUN_DIRECTORY_PROPERTY)));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ScheduleApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.initializers((applicationContext) -> ((GenericApplicationContext) applicationContext).registerBean(Handlers.class,
					() -> new Handlers(ledger, downstream)))
			.run(args);
		// Ready once every stream listener reads: a durable topic delivers what is added after its group exists, and
		// the reader creates the group in the background, after the context has started (the producer must not
		// start before, or its first entries are, rightly, not this instance's).
		StreamListeners listeners = context.getBean(StreamListeners.class);
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
		while (!listeners.states().stream().allMatch((state) -> state.state() == ConsumerStatus.READING)
				&& System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		System.out.println("ready");
		report(context.getBean(MeterRegistry.class), ledger);
	}

	/**
	 * Records the total of {@code redis.starter.stream.gaps} and the meter readings each time they change, until the
	 * process ends: the last reading of a process killed with {@code SIGKILL} is at most 200 ms old.
	 */
	private static void report(MeterRegistry meters, EventLedger ledger) throws InterruptedException {
		long reported = 0;
		MeterReadings readings = null;
		while (true) {
			long gaps = (long) meters.find("redis.starter.stream.gaps").counters().stream().mapToDouble(Counter::count).sum();
			if (gaps != reported) {
				ledger.record(GAPS, Long.toString(gaps));
				reported = gaps;
			}
			MeterReadings now = MeterReadings.read(meters);
			if (!Objects.equals(now, readings)) {
				ledger.record(METERS, now.toWord());
				readings = now;
			}
			Thread.sleep(200);
		}
	}

	/** The handlers: each calls the run's downstream, which a schedule may take down. */
	static final class Handlers {

		private final EventLedger ledger;

		private final DownstreamSwitch downstream;

		Handlers(EventLedger ledger, DownstreamSwitch downstream) {
			this.ledger = ledger;
			this.downstream = downstream;
		}

		@JobHandler(queue = ScheduleApplication.QUEUE, concurrency = 4)
		void job(Work work, JobContext context) throws InterruptedException {
			this.ledger.record(JOB_STARTED, work.id());
			Thread.sleep(WORK.toMillis());
			this.downstream.failIfDown();
			this.ledger.record(JOB_HANDLED, work.id());
		}

		@StreamListener(stream = ScheduleApplication.STREAM, group = "work", concurrency = 4)
		void entry(Work work) throws InterruptedException {
			this.ledger.record(ENTRY_STARTED, work.id());
			Thread.sleep(WORK.toMillis());
			this.downstream.failIfDown();
			this.ledger.record(ENTRY_HANDLED, work.id());
		}

		@StreamListener(stream = ScheduleApplication.STREAM, group = "topic", broadcast = true)
		void topic(Work work) {
			this.ledger.record(TOPIC_HANDLED, work.id());
		}

	}

}
