package dev.redisstarter.console;

import java.net.URI;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console's routes under its path ({@code /redis-starter/} by default): the page ({@code GET {path}}, its
 * script and style sheet) and the JSON API:
 * <ul>
 * <li>{@code GET api/overview}: the circuit, each node's {@code INFO} fields, whether writes are enabled;</li>
 * <li>{@code GET api/queues}; {@code GET api/queues/{queue}/jobs?state=waiting|delayed|active|completed|dead};
 * {@code GET api/queues/{queue}/jobs/{jobId}};</li>
 * <li>{@code GET api/streams};</li>
 * <li>{@code GET api/meters}: caches, rate limits, locks and sessions;</li>
 * <li>{@code GET api/locks}: locks held now (owner, fencing token, time left, waiters) and sessions alive, from a
 * bounded scan per node;</li>
 * <li>{@code GET api/server}: {@code SLOWLOG} and the sampled keys, per node;</li>
 * <li>writes: {@code POST api/queues/{queue}/jobs/{jobId}/retry}, {@code DELETE api/queues/{queue}/jobs/{jobId}},
 * {@code POST api/queues/{queue}/pause?seconds=n}, {@code POST api/queues/{queue}/resume},
 * {@code POST api/queues/{queue}/jobs/{jobId}/promote} (a delayed job), {@code POST api/queues/{queue}/dead-letters/purge},
 * {@code POST api/streams/{stream}/dead-letters/{id}/replay}.</li>
 * </ul>
 * Who may see it and send writes is the {@link ConsoleAccessFilter}'s decision, made again inside the routes
 * ({@link ConsoleAccessFilter#routeFilter()}).
 */
public final class ConsoleRoutes {

	private static final String STATIC = "dev/redisstarter/console/static/";

	private ConsoleRoutes() {
	}

	/**
	 * The routes.
	 * @param settings where the console is served
	 * @param api the API's handlers
	 * @param access who may see the console and send writes
	 * @return the router function
	 */
	public static RouterFunction<ServerResponse> of(ConsoleSettings settings, ConsoleApi api,
			ConsoleAccessFilter access) {
		String path = settings.path();
		String base = path + "api/";
		ClassPathResource page = new ClassPathResource(STATIC + "index.html");
		return RouterFunctions.route()
			.GET(path.substring(0, path.length() - 1), (request) -> ServerResponse.permanentRedirect(URI.create(path)).build())
			.GET(path, (request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).body(page))
			.GET(base + "overview", api::overview)
			.GET(base + "queues", api::queues)
			.GET(base + "queues/{queue}/jobs", api::jobs)
			.GET(base + "queues/{queue}/jobs/{jobId}", api::job)
			.POST(base + "queues/{queue}/jobs/{jobId}/retry", api::retry)
			.DELETE(base + "queues/{queue}/jobs/{jobId}", api::delete)
			.POST(base + "queues/{queue}/pause", api::pause)
			.POST(base + "queues/{queue}/jobs/{jobId}/promote", api::promote)
			.POST(base + "queues/{queue}/resume", api::resume)
			.POST(base + "queues/{queue}/dead-letters/purge", api::purgeDead)
			.GET(base + "streams", api::streams)
			.POST(base + "streams/{stream}/dead-letters/{id}/replay", api::replay)
			.GET(base + "meters", api::meters)
			.GET(base + "locks", api::locks)
			.GET(base + "server", api::insight)
			.add(RouterFunctions.resources(path + "static/**", new ClassPathResource(STATIC)))
			.filter(access.routeFilter())
			.build();
	}

}
