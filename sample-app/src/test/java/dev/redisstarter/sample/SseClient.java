package dev.redisstarter.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client, as {@code curl -N} or a browser's {@code EventSource} would be: it reads the
 * stream's lines on its own thread and keeps the texts of the events received.
 */
final class SseClient implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpResponse<InputStream> response;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final List<String> texts = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile boolean ended;

	private SseClient(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new Thread(this::read, "sse-client");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Opens {@code GET /api/events}; returns once the response's header arrived.
	 * @param port the application's port
	 * @return the client
	 */
	static SseClient open(int port) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
			.header("Accept", "text/event-stream")
			.GET()
			.build();
		return new SseClient(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
	}

	private void read() {
		try (BufferedReader in = new BufferedReader(new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				this.lines.add(line);
				if (line.startsWith("data:")) {
					this.texts.add(json.readTree(line.substring("data:".length()).strip()).get("text").asString());
				}
			}
		}
		catch (IOException ex) {
			// Closed by the test, or the server went away: either way the stream has ended.
		}
		finally {
			this.ended = true;
		}
	}

	int status() {
		return this.response.statusCode();
	}

	String contentType() {
		return this.response.headers().firstValue("Content-Type").orElse("");
	}

	/** The texts of the events received, in order. */
	List<String> texts() {
		return List.copyOf(this.texts);
	}

	/** Every line received, comments included. */
	List<String> lines() {
		return List.copyOf(this.lines);
	}

	/** Whether the server ended the stream (or the client was closed). */
	boolean ended() {
		return this.ended;
	}

	/** Goes away, as a closed browser tab does. */
	@Override
	public void close() throws IOException {
		this.response.body().close();
		this.reader.interrupt();
	}

}
