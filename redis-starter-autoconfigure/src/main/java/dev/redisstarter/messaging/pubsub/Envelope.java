package dev.redisstarter.messaging.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What travels around a payload when there is more to say than the payload: a request's correlation id and
 * reply channel, a reply's correlation id and error, trace headers. On the wire it is
 * {@code {"@redis-starter":{"id":...,"replyTo":...,"error":...,"raw":true,"headers":{...}},"payload":...}}, exactly so
 * (no spaces, the payload last: it is cut out byte for byte); {@code "raw"} marks a text payload written as a JSON
 * string, {@code "bytes"} a binary one in base64;
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
	 * Reads an envelope. The payload is cut out of the message byte for byte (it is the last field, as
	 * {@link #wrap} writes it), never parsed and written again, so numbers keep their precision and bytes
	 * their values.
	 * @param body a message for which {@link #isWrapped} is true
	 * @param mapper reads it
	 * @return the envelope
	 * @throws JacksonException when it is not a well-formed envelope
	 */
	static Envelope open(byte[] body, JsonMapper mapper) {
		JsonNode meta;
		int payloadStart;
		try (JsonParser parser = mapper.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
					|| !FIELD.equals(parser.currentName())) {
				throw malformed(parser, "it does not start with the \"" + FIELD + "\" field");
			}
			parser.nextToken();
			meta = parser.readValueAsTree();
			int metaEnd = (int) parser.currentLocation().getByteOffset();
			if (!startsWith(body, metaEnd, PAYLOAD_MARK) || body[body.length - 1] != '}') {
				throw malformed(parser, "the payload does not follow the envelope's fields");
			}
			payloadStart = metaEnd + PAYLOAD_MARK.length;
		}
		byte[] raw = java.util.Arrays.copyOfRange(body, payloadStart, body.length - 1);
		byte[] payload;
		if (meta.path("bytes").asBoolean(false)) {
			payload = java.util.Base64.getDecoder().decode(mapper.readValue(raw, String.class));
		}
		else if (meta.path("raw").asBoolean(false)) {
			payload = mapper.readValue(raw, String.class).getBytes(StandardCharsets.UTF_8);
		}
		else {
			payload = raw;
		}
		Map<String, String> headers = new LinkedHashMap<>();
		JsonNode headerNode = meta.path("headers");
		for (String name : headerNode.propertyNames()) {
			headers.put(name, headerNode.path(name).asString(""));
		}
		return new Envelope(text(meta, "id"), text(meta, "replyTo"), text(meta, "error"), headers, payload);
	}

	private static final byte[] PAYLOAD_MARK = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

	private static boolean startsWith(byte[] body, int offset, byte[] mark) {
		if (offset < 0 || offset + mark.length > body.length) {
			return false;
		}
		for (int i = 0; i < mark.length; i++) {
			if (body[offset + i] != mark[i]) {
				return false;
			}
		}
		return true;
	}

	private static JacksonException malformed(JsonParser parser, String problem) {
		return new tools.jackson.core.exc.StreamReadException(parser, "Not a starter envelope: " + problem);
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
			meta.put(encoded.binary() ? "bytes" : "raw", true);
		}
		if (!this.headers.isEmpty()) {
			meta.put("headers", this.headers);
		}
		byte[] payload;
		if (encoded.binary()) {
			payload = mapper.writeValueAsBytes(java.util.Base64.getEncoder().encodeToString(encoded.bytes()));
		}
		else if (encoded.raw()) {
			payload = mapper.writeValueAsBytes(new String(encoded.bytes(), StandardCharsets.UTF_8));
		}
		else {
			payload = (encoded.bytes().length > 0) ? encoded.bytes() : "null".getBytes(StandardCharsets.UTF_8);
		}
		byte[] head = ("{\"" + FIELD + "\":" + mapper.writeValueAsString(meta)).getBytes(StandardCharsets.UTF_8);
		byte[] message = new byte[head.length + PAYLOAD_MARK.length + payload.length + 1];
		System.arraycopy(head, 0, message, 0, head.length);
		System.arraycopy(PAYLOAD_MARK, 0, message, head.length, PAYLOAD_MARK.length);
		System.arraycopy(payload, 0, message, head.length + PAYLOAD_MARK.length, payload.length);
		message[message.length - 1] = '}';
		return message;
	}

	/**
	 * A payload encoded for the wire.
	 *
	 * @param bytes what a plain message carries
	 * @param raw true for text and bytes sent as they are, false for JSON
	 * @param binary true for bytes (base64 inside an envelope), false for text or JSON
	 */
	record EncodedPayload(byte[] bytes, boolean raw, boolean binary) {

		static EncodedPayload of(@Nullable Object payload, JsonMapper mapper) {
			if (payload instanceof String text) {
				return new EncodedPayload(text.getBytes(StandardCharsets.UTF_8), true, false);
			}
			if (payload instanceof byte[] bytes) {
				return new EncodedPayload(bytes, true, true);
			}
			return new EncodedPayload(mapper.writeValueAsBytes(payload), false, false);
		}

	}

}
