package dev.redisstarter.sample.events;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One connected {@code GET /api/events} stream. Frames wait in a bounded backlog and are written by a sender
 * thread, one drain at a time, so that the relay never waits for a client: a write to a client that stopped
 * reading blocks only that client's drain. A client whose backlog is full is disconnected.
 */
final class EventClient {

	private final SseEmitter emitter;

	private final BlockingQueue<Set<DataWithMediaType>> backlog;

	private final Executor senders;

	private final Consumer<EventClient> onClosed;

	/** Whether a drain is scheduled or running; at most one is, so frames go out in order. */
	private final AtomicBoolean draining = new AtomicBoolean();

	/** Whether the stream has ended, or need not be ended by us (a write failed: Spring MVC ends it). */
	private final AtomicBoolean ended = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * A client.
	 * @param emitter its stream
	 * @param backlog how many frames may wait for it
	 * @param senders the threads that write
	 * @param onClosed called once when the client is closed, for whatever reason
	 */
	EventClient(SseEmitter emitter, int backlog, Executor senders, Consumer<EventClient> onClosed) {
		this.emitter = emitter;
		this.backlog = new ArrayBlockingQueue<>(backlog);
		this.senders = senders;
		this.onClosed = onClosed;
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	/**
	 * Queues a frame; never blocks.
	 * @param frame an event built once for all clients (it is only read)
	 */
	void offer(Set<DataWithMediaType> frame) {
		if (this.closed.get()) {
			return;
		}
		if (!this.backlog.offer(frame)) {
			// Too far behind: buffering more would grow without end while it does not read.
			close();
			return;
		}
		schedule();
	}

	/**
	 * Queues a heartbeat unless events are waiting anyway.
	 * @param frame the heartbeat comment
	 */
	void ping(Set<DataWithMediaType> frame) {
		if (this.backlog.isEmpty()) {
			offer(frame);
		}
	}

	/** Ends the stream: the relay forgets the client at once, a sender thread completes the response. */
	void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.backlog.clear();
			this.onClosed.accept(this);
			schedule();
		}
	}

	/** The stream ended on Spring MVC's side (completed, timed out or failed): nothing is left to write. */
	void ended() {
		this.ended.set(true);
		close();
	}

	private void schedule() {
		if (hasWork() && this.draining.compareAndSet(false, true)) {
			try {
				this.senders.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// The relay is stopping: the container ends open requests itself.
				this.draining.set(false);
				this.ended.set(true);
				close();
			}
		}
	}

	private void drain() {
		try {
			for (Set<DataWithMediaType> frame = next(); frame != null; frame = next()) {
				this.emitter.send(frame);
			}
			if (this.closed.get() && this.ended.compareAndSet(false, true)) {
				this.emitter.complete();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away (or the stream already ended); Spring MVC completes the request after a
			// failed write, so all that is left is to forget the client.
			ended();
		}
		finally {
			this.draining.set(false);
		}
		// An offer that raced with the end of this drain found it still running; pick its frame up.
		schedule();
	}

	private @Nullable Set<DataWithMediaType> next() {
		return this.closed.get() ? null : this.backlog.poll();
	}

	private boolean hasWork() {
		return this.closed.get() ? !this.ended.get() : !this.backlog.isEmpty();
	}

}
