package dev.redisstarter.messaging.pubsub;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.util.MimeType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code @RedisListener} payloads with the application's {@code JsonMapper}, generic parameter types
 * included ({@code List<Order>}), so listeners read exactly what {@link MessageBus} writes. A payload that
 * does not parse is a {@link MessageConversionException}, which the starter reports to the
 * {@link ListenerErrorHandler} as a payload failure.
 */
public final class JsonPayloadConverter extends AbstractMessageConverter {

	private final PayloadReader reader;

	/**
	 * A converter.
	 * @param mapper the application's mapper
	 */
	public JsonPayloadConverter(JsonMapper mapper) {
		super(new MimeType("application", "json"), new MimeType("application", "*+json"));
		this.reader = new PayloadReader(mapper);
	}

	@Override
	protected boolean supports(Class<?> clazz) {
		return true;
	}

	@Override
	protected @Nullable Object convertFromInternal(Message<?> message, Class<?> targetClass,
			@Nullable Object conversionHint) {
		if (!(message.getPayload() instanceof byte[] payload)) {
			return null;
		}
		Type type = (conversionHint instanceof MethodParameter parameter) ? parameter.getNestedGenericParameterType()
				: targetClass;
		try {
			return this.reader.read(payload, type);
		}
		catch (JacksonException ex) {
			throw new MessageConversionException(message,
					"Could not read the payload as " + type.getTypeName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	protected @Nullable Object convertToInternal(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		return Envelope.EncodedPayload.of(payload, this.reader.mapper()).bytes();
	}

}
