package dev.redisstarter.sample.events;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Relays every event published on the {@code events} channel, by any instance, to the Server-Sent Events
 * streams open on this instance. At most {@code sample.events.max-clients} streams; each ends after
 * {@code sample.events.timeout}; idle streams get a comment every {@code sample.events.heartbeat}.
 * Connected clients are counted in the gauge {@code sample.events.clients}.
 * <p>
 * Stopped before the web server shuts down gracefully (the highest lifecycle phase), so that open streams end
 * and do not hold the shutdown for its whole grace period.
 */
final class EventRelay implements SmartLifecycle {

	/** The channel events are published on, without the application's prefix (the starter adds it). */
	static final String CHANNEL = "events";

	private static final Set<DataWithMediaType> CONNECTED = SseEmitter.event().comment("connected").build();

	private static final Set<DataWithMediaType> HEARTBEAT = SseEmitter.event().comment("heartbeat").build();

	private final EventsProperties properties;

	private final Set<EventClient> clients = ConcurrentHashMap.newKeySet();

	private @Nullable ThreadPoolExecutor senders;

	private @Nullable ScheduledExecutorService heartbeats;

	private volatile boolean running;

	EventRelay(EventsProperties properties, @Nullable MeterRegistry meterRegistry) {
		this.properties = properties;
		if (meterRegistry != null) {
			Gauge.builder("sample.events.clients", this.clients, Set::size)
				.description("Clients connected to GET /api/events on this instance")
				.register(meterRegistry);
		}
	}

	/**
	 * Opens a stream for a new client.
	 * @return the stream, or empty when {@code max-clients} streams are open or the application is stopping
	 */
	Optional<SseEmitter> connect() {
		SseEmitter emitter = new SseEmitter(this.properties.timeout().toMillis());
		EventClient client;
		synchronized (this.clients) {
			ThreadPoolExecutor senders = this.senders;
			if (!this.running || senders == null || this.clients.size() >= this.properties.maxClients()) {
				return Optional.empty();
			}
			client = new EventClient(emitter, this.properties.backlog(), senders, this.clients::remove);
			this.clients.add(client);
		}
		emitter.onCompletion(client::ended);
		emitter.onTimeout(() -> {
			client.ended();
			// Completed here, or Spring MVC resolves the timeout as an error on a response already streaming.
			emitter.complete();
		});
		emitter.onError((ex) -> client.ended());
		// Sent at once, so that the client sees the stream open before any event.
		client.offer(CONNECTED);
		return Optional.of(emitter);
	}

	/**
	 * Fans an event out to this instance's clients. Runs on the starter's listener thread and never waits for a
	 * client: each client's frames are written by a sender thread.
	 * @param event the event, read from its JSON
	 */
	@RedisListener(CHANNEL)
	void relay(Event event) {
		Set<DataWithMediaType> frame = SseEmitter.event().data(event, MediaType.APPLICATION_JSON).build();
		for (EventClient client : this.clients) {
			client.offer(frame);
		}
	}

	private void heartbeat() {
		for (EventClient client : this.clients) {
			client.ping(HEARTBEAT);
		}
	}

	@Override
	public void start() {
		synchronized (this.clients) {
			// A sender thread per client with frames to write, never more than twice the clients: a client that
			// stops reading holds only its own thread (until the container's write timeout). Idle threads end.
			this.senders = new ThreadPoolExecutor(0, 2 * this.properties.maxClients(), 30, TimeUnit.SECONDS,
					new SynchronousQueue<>(), daemonThreads("event-sender-"));
			ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemonThreads("event-heartbeat-"));
			long period = this.properties.heartbeat().toMillis();
			heartbeats.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
			this.heartbeats = heartbeats;
			this.running = true;
		}
	}

	@Override
	public void stop() {
		ThreadPoolExecutor senders;
		synchronized (this.clients) {
			this.running = false;
			senders = this.senders;
			this.senders = null;
			if (this.heartbeats != null) {
				this.heartbeats.shutdownNow();
				this.heartbeats = null;
			}
		}
		List.copyOf(this.clients).forEach(EventClient::close);
		if (senders != null) {
			// The drains that complete the streams still run; no new ones are accepted.
			senders.shutdown();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
