package dev.redisstarter.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP calls to the running sample, as curl would make them. */
final class HttpClientSupport {

	private final HttpClient client = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String base;

	HttpClientSupport(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	Response get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET().build());
	}

	Response get(String path, String header, String value) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).header(header, value).GET().build());
	}

	Response post(String path, String body, String header, String value) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.header(header, value)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	Response delete(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).DELETE().build());
	}

	Response put(String path, String body) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	Response post(String path, String body) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private Response send(HttpRequest request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.body(), response.headers().map(), this.json);
	}

	record Response(int status, String body, java.util.Map<String, java.util.List<String>> headers, JsonMapper mapper) {

		JsonNode json() {
			return this.mapper.readTree(this.body);
		}

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

	}

	/**
	 * Waits, when needed, until a fixed window of the given length (windows start at multiples of it, by the
	 * clock Redis shares with this machine) has at least two seconds left, so that a test counting requests
	 * within one window does not straddle two.
	 * @param window the window's length
	 */
	static void awaitRoomInFixedWindow(java.time.Duration window) {
		long length = window.toMillis();
		long left = length - System.currentTimeMillis() % length;
		if (left < 2000) {
			try {
				Thread.sleep(left + 50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
