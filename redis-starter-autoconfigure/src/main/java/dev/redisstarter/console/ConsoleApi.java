package dev.redisstarter.console;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCircuitBreaker;
import dev.redisstarter.core.RedisFailure;
import dev.redisstarter.core.RedisPermissionException;

/**
 * The console's JSON API, under {@code {path}api/}. Reads answer 200, or 503 with an {@code error} while Redis
 * cannot be read (the overview still answers, with the circuit); a bad name or state answers 400. Writes answer
 * 403 unless {@code redis.starter.console.write-enabled}, 404 when the job or dead letter is not there.
 */
public final class ConsoleApi {

	private static final Duration MAX_PAUSE = Duration.ofHours(24);

	private final RedisAccess access;

	private final ServerInsight server;

	private final @Nullable QueueView queues;

	private final @Nullable StreamView streams;

	private final MeterView meters;

	private final @Nullable CapabilityHealth health;

	private final ConsoleSettings settings;

	private final HeldLocksView held;

	ConsoleApi(RedisAccess access, ServerInsight server, @Nullable QueueView queues, @Nullable StreamView streams,
			MeterView meters, @Nullable CapabilityHealth health, ConsoleSettings settings, HeldLocksView held) {
		this.held = Objects.requireNonNull(held, "held must not be null");
		this.access = Objects.requireNonNull(access, "access must not be null");
		this.server = Objects.requireNonNull(server, "server must not be null");
		this.queues = queues;
		this.streams = streams;
		this.meters = Objects.requireNonNull(meters, "meters must not be null");
		this.health = health;
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	ServerResponse overview(ServerRequest request) {
		Map<String, Object> body = new LinkedHashMap<>();
		RedisCircuitBreaker circuit = this.access.circuit();
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("state", circuit.state().name().toLowerCase(Locale.ROOT));
		state.put("openings", circuit.openings());
		state.put("lastFailure", circuit.lastFailure().isEmpty() ? null : circuit.lastFailure());
		RedisFailure failure = circuit.failure();
		state.put("failure", (circuit.state() == RedisCircuitBreaker.State.OPEN && failure != null)
				? failure.kind().label() : null);
		body.put("circuit", state);
		body.put("writeEnabled", this.settings.writeEnabled());
		body.put("capabilities", Map.of("queues", this.queues != null, "streams", this.streams != null));
		body.put("health", (this.health != null) ? this.health.statuses() : Map.of());
		body.put("server", circuit.allowsCalls() ? this.server.info() : List.of());
		body.put("csrf", csrf(request));
		return ServerResponse.ok().body(body);
	}

	ServerResponse queues(ServerRequest request) {
		QueueView view = this.queues;
		return (view != null) ? read(() -> Map.of("queues", view.queues())) : absent("job queues");
	}

	ServerResponse jobs(ServerRequest request) {
		QueueView view = this.queues;
		String state = request.param("state").orElse("waiting");
		return (view != null) ? read(() -> view.list(request.pathVariable("queue"), state)) : absent("job queues");
	}

	ServerResponse job(ServerRequest request) {
		QueueView view = this.queues;
		if (view == null) {
			return absent("job queues");
		}
		return read(() -> view.job(request.pathVariable("queue"), request.pathVariable("jobId")).orElse(null));
	}

	ServerResponse retry(ServerRequest request) {
		QueueView view = this.queues;
		return write(view, "job queues",
				() -> view.retry(request.pathVariable("queue"), request.pathVariable("jobId")) ? Map.of("retried", 1)
						: null);
	}

	ServerResponse delete(ServerRequest request) {
		QueueView view = this.queues;
		return write(view, "job queues",
				() -> view.delete(request.pathVariable("queue"), request.pathVariable("jobId")) ? Map.of("deleted", 1)
						: null);
	}

	ServerResponse pause(ServerRequest request) {
		QueueView view = this.queues;
		return write(view, "job queues", () -> {
			Duration pause = Duration.ofSeconds(Long.parseLong(request.param("seconds").orElse("60")));
			if (pause.isNegative() || pause.isZero() || pause.compareTo(MAX_PAUSE) > 0) {
				throw new IllegalArgumentException("seconds must be between 1 and " + MAX_PAUSE.toSeconds());
			}
			view.pause(request.pathVariable("queue"), pause);
			return Map.of("pausedForMillis", pause.toMillis());
		});
	}

	ServerResponse promote(ServerRequest request) {
		QueueView view = this.queues;
		return write(view, "job queues",
				() -> view.promote(request.pathVariable("queue"), request.pathVariable("jobId")) ? Map.of("promoted", 1)
						: null);
	}

	ServerResponse resume(ServerRequest request) {
		QueueView view = this.queues;
		return write(view, "job queues",
				() -> Map.of("pauseLeftMillis", view.resume(request.pathVariable("queue")).toMillis()));
	}

	ServerResponse purgeDead(ServerRequest request) {
		QueueView view = this.queues;
		return write(view, "job queues", () -> Map.of("purged", view.purgeDead(request.pathVariable("queue"))));
	}

	ServerResponse streams(ServerRequest request) {
		StreamView view = this.streams;
		return (view != null) ? read(view::streams) : absent("streams");
	}

	ServerResponse replay(ServerRequest request) {
		StreamView view = this.streams;
		return write(view, "streams", () -> view.replay(request.pathVariable("stream"), request.pathVariable("id"))
			.map((id) -> Map.of("replayed", 1, "id", id))
			.orElse(null));
	}

	ServerResponse meters(ServerRequest request) {
		return ServerResponse.ok().body(this.meters.meters());
	}

	ServerResponse locks(ServerRequest request) {
		return read(this.held::held);
	}

	ServerResponse insight(ServerRequest request) {
		return read(this.server::insight);
	}

	private ServerResponse read(Supplier<@Nullable Object> read) {
		try {
			Object body = read.get();
			return (body != null) ? ServerResponse.ok().body(body) : error(HttpStatus.NOT_FOUND, "Not found");
		}
		catch (IllegalArgumentException ex) {
			return error(HttpStatus.BAD_REQUEST, String.valueOf(ex.getMessage()));
		}
		catch (DataAccessException ex) {
			return error(HttpStatus.SERVICE_UNAVAILABLE, "Redis could not be read: " + ex.getMessage());
		}
		catch (RedisPermissionException ex) {
			return error(HttpStatus.SERVICE_UNAVAILABLE, String.valueOf(ex.getMessage()));
		}
	}

	private <V> ServerResponse write(@Nullable V view, String capability, Supplier<@Nullable Object> action) {
		if (!this.settings.writeEnabled()) {
			return error(HttpStatus.FORBIDDEN,
					"The console is read-only: writes need redis.starter.console.write-enabled=true");
		}
		if (view == null) {
			return absent(capability);
		}
		return read(action);
	}

	private static ServerResponse absent(String capability) {
		return error(HttpStatus.NOT_FOUND, "This application has no " + capability);
	}

	static ServerResponse error(HttpStatus status, String message) {
		return ServerResponse.status(status).body(Map.of("error", message));
	}

	/** Spring Security's CSRF token of the request, when Spring Security put one there; otherwise {@code null}. */
	private static @Nullable Map<String, Object> csrf(ServerRequest request) {
		Object token = request.servletRequest().getAttribute("_csrf");
		if (token == null) {
			return null;
		}
		try {
			BeanWrapperImpl wrapper = new BeanWrapperImpl(token);
			Map<String, Object> csrf = new LinkedHashMap<>();
			csrf.put("headerName", wrapper.getPropertyValue("headerName"));
			csrf.put("token", wrapper.getPropertyValue("token"));
			return csrf;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
