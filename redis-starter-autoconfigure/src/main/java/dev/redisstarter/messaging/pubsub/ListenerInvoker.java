package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.Route;
import dev.redisstarter.core.subscription.RouteListener;

import java.util.Map;
import java.util.Objects;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.support.PubSubHeaders;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.StringUtils;
import tools.jackson.core.JacksonException;

/**
 * Runs one {@code @RedisListener} method for the messages of its route: queues each on the listener's
 * {@link ListenerDispatcher} (off the subscriber's delivery thread), unwraps the starter's envelope, builds the Spring message
 * with the same headers as Spring's own adapter, invokes the method, sends its return value back to a
 * requester, and hands every failure to the {@link ListenerErrorHandler} instead of swallowing it.
 */
final class ListenerInvoker implements RouteListener {

	private final String listener;

	private final InvocableHandlerMethod method;

	private final @Nullable String consumes;

	private final ListenerDispatcher dispatcher;

	private final MessagingMetrics.ListenerMeters meters;

	private final RedisListenerSupport support;

	ListenerInvoker(String listener, InvocableHandlerMethod method, @Nullable String consumes,
			ListenerDispatcher dispatcher, MessagingMetrics.ListenerMeters meters, RedisListenerSupport support) {
		this.listener = listener;
		this.method = method;
		this.consumes = consumes;
		this.dispatcher = dispatcher;
		this.meters = meters;
		this.support = support;
	}

	@Override
	public void message(Route route, String channel, byte[] body) {
		this.meters.received();
		this.dispatcher.dispatch(channel, () -> handle(route, channel, body));
	}

	private void handle(Route route, String channel, byte[] body) {
		String pattern = route.isPattern() ? route.name() : null;
		Envelope envelope = null;
		byte[] payload = body;
		if (Envelope.isWrapped(body)) {
			try {
				envelope = Envelope.open(body, this.support.mapper());
				payload = envelope.payload();
			}
			catch (JacksonException ex) {
				fail(channel, pattern, body, ListenerFailure.Reason.PAYLOAD, ex);
				return;
			}
		}
		Observation observation = observe(channel, envelope);
		long start = System.nanoTime();
		try {
			MessageBuilder<byte[]> message = MessageBuilder.withPayload(payload)
				.setHeader(PubSubHeaders.CHANNEL, ChannelTopic.of(channel));
			if (pattern != null) {
				message.setHeader(PubSubHeaders.TOPIC, PatternTopic.of(pattern));
				message.setHeader(PubSubHeaders.PATTERN, PatternTopic.of(pattern));
			}
			else {
				message.setHeader(PubSubHeaders.TOPIC, ChannelTopic.of(channel));
			}
			if (StringUtils.hasText(this.consumes)) {
				message.setHeader(MessageHeaders.CONTENT_TYPE, this.consumes);
			}
			Object result;
			// A scope of its own, not Observation.scoped: that would record the internal wrapper as a second error.
			try (Observation.Scope scope = (observation != null) ? observation.openScope() : null) {
				result = invoke(message);
			}
			if (envelope != null && envelope.replyTo() != null && !this.method.isVoid()) {
				this.support.bus().reply(envelope, result, null);
			}
		}
		catch (Exception | Error ex) {
			// An Error too (an AssertionError, a StackOverflowError): it is the listener's failure, reported like
			// any other, and must not end the lane's thread.
			Throwable cause = (ex instanceof InvocationFailure failure) ? failure.getCause() : ex;
			boolean unreadable = cause instanceof MessageConversionException
					|| cause instanceof MethodArgumentResolutionException;
			if (observation != null) {
				observation.error(Objects.requireNonNull(cause));
			}
			fail(channel, pattern, payload,
					unreadable ? ListenerFailure.Reason.PAYLOAD : ListenerFailure.Reason.HANDLER, cause);
			if (envelope != null && envelope.replyTo() != null) {
				this.support.bus().reply(envelope, null, cause);
			}
		}
		finally {
			if (observation == null) {
				// With observations on, the observation's own timer counts the handling.
				this.meters.handled(System.nanoTime() - start);
			}
			if (observation != null) {
				observation.stop();
			}
		}
	}

	private @Nullable Object invoke(MessageBuilder<byte[]> message) {
		try {
			return this.method.invoke(message.build());
		}
		catch (Exception ex) {
			throw new InvocationFailure(ex);
		}
	}

	private @Nullable Observation observe(String channel, @Nullable Envelope envelope) {
		return this.support.observations().listener(channel, this.listener,
				(envelope != null) ? envelope.headers() : Map.of());
	}

	private void fail(String channel, @Nullable String pattern, byte[] payload, ListenerFailure.Reason reason,
			Throwable error) {
		this.meters.failed(reason == ListenerFailure.Reason.PAYLOAD);
		try {
			this.support.errorHandler().handle(new ListenerFailure(this.listener, channel, pattern, payload, reason, error));
		}
		catch (RuntimeException ex) {
			// The error handler failed too: say so once here, and go on with the next message.
			org.apache.commons.logging.LogFactory.getLog(ListenerInvoker.class)
				.error("The listener error handler failed on a failure of " + this.listener, ex);
		}
	}

	/** Carries a checked exception out of an observation scope. */
	private static final class InvocationFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		InvocationFailure(Throwable cause) {
			super(cause);
		}

	}

}
