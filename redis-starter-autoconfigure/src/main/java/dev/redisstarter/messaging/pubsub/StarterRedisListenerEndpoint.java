package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.core.subscription.Route;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.config.MethodRedisListenerEndpoint;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * A {@code @RedisListener} method served by the starter: Spring resolves its arguments and converts its
 * payload as usual, and the starter subscribes its topic (prefixed, sharded or not) through its own
 * {@link PubSubSubscriber} and dispatches through a {@link ListenerDispatcher}. Without the starter's
 * {@link RedisListenerSupport} bean it falls back to Spring's container.
 */
final class StarterRedisListenerEndpoint extends MethodRedisListenerEndpoint {

	private static final Log logger = LogFactory.getLog(StarterRedisListenerEndpoint.class);

	private final Supplier<@Nullable RedisListenerSupport> support;

	private @Nullable String consumesValue;

	private @Nullable MessageHandlerMethodFactory factory;

	private @Nullable ListenerDispatcher dispatcher;

	private @Nullable AutoCloseable subscription;

	private boolean starterRunning;

	private boolean fallback;

	StarterRedisListenerEndpoint(Object bean, Method method, Supplier<@Nullable RedisListenerSupport> support) {
		super(bean, method);
		this.support = support;
	}

	@Override
	public void setMessageHandlerMethodFactory(MessageHandlerMethodFactory messageHandlerMethodFactory) {
		super.setMessageHandlerMethodFactory(messageHandlerMethodFactory);
		this.factory = messageHandlerMethodFactory;
	}

	@Override
	public void setConsumes(@Nullable String consumes) {
		super.setConsumes(consumes);
		this.consumesValue = consumes;
	}

	@Override
	public synchronized void start() {
		RedisListenerSupport current = this.support.get();
		if (current == null || this.factory == null) {
			this.fallback = true;
			super.start();
			return;
		}
		if (this.starterRunning) {
			return;
		}
		String topic = getTopic();
		if (topic == null || topic.isBlank()) {
			throw new IllegalStateException("@RedisListener on " + getMethod() + " has no topic");
		}
		String name = RedisListenerSupport.listenerName(getId(), getMethod());
		Route route = current.names().listenRoute(topic);
		DispatchSettings settings = current.dispatchSettings(name, getMethod());
		MessagingMetrics.ListenerMeters meters = current.metrics().listener(name, route.name());
		ListenerDispatcher started = new ListenerDispatcher(name, settings, meters, current.threads());
		InvocableHandlerMethod handler = this.factory.createInvocableHandlerMethod(getBean(), getMethod());
		started.start();
		this.dispatcher = started;
		this.subscription = current.subscriber()
			.subscribe(route, new ListenerInvoker(name, handler, this.consumesValue, started, meters, current));
		this.starterRunning = true;
		logger.debug("Listener " + name + " subscribed to " + route);
	}

	@Override
	public synchronized void stop() {
		if (this.fallback) {
			super.stop();
			return;
		}
		if (!this.starterRunning) {
			return;
		}
		this.starterRunning = false;
		try {
			if (this.subscription != null) {
				this.subscription.close();
			}
		}
		catch (Exception ex) {
			logger.debug("Unsubscribing " + getTopic() + ": " + ex);
		}
		RedisListenerSupport current = this.support.get();
		if (this.dispatcher != null && current != null) {
			this.dispatcher.stop(current.remainingShutdownWait());
		}
		this.dispatcher = null;
		this.subscription = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.fallback ? super.isRunning() : this.starterRunning;
	}

}
