package dev.redisstarter.messaging;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What travels around a payload when there is more to say than the payload: a request's correlation id and
 * reply channel, a reply's correlation id and error, trace headers. On the wire it is
 * {@code {"@redis-starter":{"id":...,"replyTo":...,"error":...,"raw":true,"headers":{...}},"payload":...}};
 * a message without it is the payload alone. Listeners never see it: the starter unwraps it before Spring
 * converts the payload.
 *
 * @param id the correlation id of a request or reply, or {@code null}
 * @param replyTo where a request's reply goes, or {@code null}
 * @param error a reply's failure ({@code "ExceptionClass: message"}), or {@code null}
 * @param headers trace context and similar, possibly empty
 * @param payload the payload as a plain message would carry it (text as UTF-8, anything else as JSON)
 */
record Envelope(@Nullable String id, @Nullable String replyTo, @Nullable String error, Map<String, String> headers,
		byte[] payload) {

	static final String FIELD = "@redis-starter";

	private static final byte[] MARK = ("{\"" + FIELD + "\":").getBytes(StandardCharsets.UTF_8);

	/**
	 * Whether a message is wrapped (cheap: compares its first bytes).
	 * @param body the message
	 * @return true when it starts like an envelope
	 */
	static boolean isWrapped(byte[] body) {
		if (body.length < MARK.length) {
			return false;
		}
		for (int i = 0; i < MARK.length; i++) {
			if (body[i] != MARK[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Reads an envelope.
	 * @param body a message for which {@link #isWrapped} is true
	 * @param mapper reads it
	 * @return the envelope
	 * @throws JacksonException when it is not a well-formed envelope
	 */
	static Envelope open(byte[] body, JsonMapper mapper) {
		JsonNode root = mapper.readTree(body);
		JsonNode meta = root.path(FIELD);
		JsonNode payload = root.path("payload");
		Map<String, String> headers = new LinkedHashMap<>();
		JsonNode headerNode = meta.path("headers");
		for (String name : headerNode.propertyNames()) {
			headers.put(name, headerNode.path(name).asString(""));
		}
		byte[] bytes = meta.path("raw").asBoolean(false) ? payload.asString("").getBytes(StandardCharsets.UTF_8)
				: (payload.isMissingNode() ? new byte[0] : mapper.writeValueAsBytes(payload));
		return new Envelope(text(meta, "id"), text(meta, "replyTo"), text(meta, "error"), headers, bytes);
	}

	private static @Nullable String text(JsonNode meta, String field) {
		JsonNode value = meta.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

	/**
	 * Writes an envelope around an encoded payload.
	 * @param mapper writes the envelope's fields
	 * @param encoded the payload as {@link MessageBus} encodes it
	 * @return the message
	 */
	byte[] wrap(JsonMapper mapper, EncodedPayload encoded) {
		Map<String, Object> meta = new LinkedHashMap<>();
		if (this.id != null) {
			meta.put("id", this.id);
		}
		if (this.replyTo != null) {
			meta.put("replyTo", this.replyTo);
		}
		if (this.error != null) {
			meta.put("error", this.error);
		}
		if (encoded.raw()) {
			meta.put("raw", true);
		}
		if (!this.headers.isEmpty()) {
			meta.put("headers", this.headers);
		}
		String payload = encoded.raw() ? mapper.writeValueAsString(new String(encoded.bytes(), StandardCharsets.UTF_8))
				: new String(encoded.bytes(), StandardCharsets.UTF_8);
		if (payload.isEmpty()) {
			payload = "null";
		}
		return ("{\"" + FIELD + "\":" + mapper.writeValueAsString(meta) + ",\"payload\":" + payload + "}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A payload encoded for the wire.
	 *
	 * @param bytes what a plain message carries
	 * @param raw true for text and bytes sent as they are, false for JSON
	 */
	record EncodedPayload(byte[] bytes, boolean raw) {

		static EncodedPayload of(@Nullable Object payload, JsonMapper mapper) {
			if (payload instanceof String text) {
				return new EncodedPayload(text.getBytes(StandardCharsets.UTF_8), true);
			}
			if (payload instanceof byte[] bytes) {
				return new EncodedPayload(bytes, true);
			}
			return new EncodedPayload(mapper.writeValueAsBytes(payload), false);
		}

	}

}
