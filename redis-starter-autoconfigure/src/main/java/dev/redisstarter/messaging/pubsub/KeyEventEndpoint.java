package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.Route;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.config.RedisListenerEndpoint;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.ReflectionUtils;

import dev.redisstarter.core.InvalidAnnotationException;

/**
 * A {@link KeyEventListener} method: subscribes {@code __keyevent@*__:<event>} on every master (a
 * {@link Route.Kind#NODE_PATTERN}), keeps the keys that match, and calls the method on its own dispatcher.
 * Registered with Spring's listener endpoint registry, so it starts and stops with the {@code @RedisListener}
 * methods.
 */
final class KeyEventEndpoint implements RedisListenerEndpoint, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(KeyEventEndpoint.class);

	private static final String CHANNEL_PREFIX = "__keyevent@";

	private final Object bean;

	private final Method method;

	private final KeyEventListener annotation;

	private final boolean takesEvent;

	private final RedisGlob keys;

	private final Supplier<@Nullable RedisListenerSupport> support;

	private final List<AutoCloseable> subscriptions = new ArrayList<>();

	private @Nullable ListenerDispatcher dispatcher;

	private boolean running;

	KeyEventEndpoint(Object bean, Method method, KeyEventListener annotation,
			Supplier<@Nullable RedisListenerSupport> support) {
		if (method.getParameterCount() != 1
				|| (method.getParameterTypes()[0] != KeyEvent.class && method.getParameterTypes()[0] != String.class)) {
			throw new InvalidAnnotationException("@KeyEventListener", method, InvalidAnnotationException.Kind.SIGNATURE,
					"the method must take exactly one parameter, a KeyEvent or the key as a String", null);
		}
		if (annotation.events().length == 0) {
			throw new InvalidAnnotationException("@KeyEventListener", method, "events must name at least one event",
					null);
		}
		for (String event : annotation.events()) {
			if (event.isBlank()) {
				throw new InvalidAnnotationException("@KeyEventListener", method, "an event name is empty", null);
			}
		}
		this.bean = bean;
		this.method = method;
		this.annotation = annotation;
		this.takesEvent = method.getParameterTypes()[0] == KeyEvent.class;
		this.keys = new RedisGlob(annotation.keys());
		this.support = support;
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public String getId() {
		return RedisListenerSupport.listenerName(this.annotation.id(), this.method);
	}

	@Override
	public void register(@Nullable RedisMessageListenerContainer listenerContainer) {
		// Served by the starter's subscriber, not by a container.
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		RedisListenerSupport current = this.support.get();
		if (current == null) {
			logger.warn("@KeyEventListener on " + this.method + " is not started: the starter's messaging is off");
			return;
		}
		String name = getId();
		ListenerDispatcher started = null;
		for (String event : this.annotation.events()) {
			Route route = new Route(Route.Kind.NODE_PATTERN, CHANNEL_PREFIX + "*__:" + event);
			MessagingMetrics.ListenerMeters meters = current.metrics().listener(name, route.name());
			if (started == null) {
				started = new ListenerDispatcher(name, current.dispatchSettings(name, this.method), meters,
						current.threads());
				started.start();
			}
			ListenerDispatcher lanes = started;
			this.subscriptions.add(current.subscriber().subscribe(route, (r, channel, body) -> {
				String key = new String(body, java.nio.charset.StandardCharsets.UTF_8);
				if (this.keys.matches(key)) {
					meters.received();
					lanes.dispatch(key, () -> handle(current, meters, r, channel, key, body));
				}
			}));
		}
		this.dispatcher = started;
		this.running = true;
	}

	private void handle(RedisListenerSupport current, MessagingMetrics.ListenerMeters meters, Route route,
			String channel, String key, byte[] body) {
		long start = System.nanoTime();
		try {
			Object argument = this.takesEvent ? event(channel, key) : key;
			this.method.invoke(this.bean, argument);
		}
		catch (InvocationTargetException | IllegalAccessException | RuntimeException ex) {
			Throwable cause = (ex instanceof InvocationTargetException target && target.getCause() != null)
					? target.getCause() : ex;
			meters.failed(false);
			try {
				current.errorHandler()
					.handle(new ListenerFailure(getId(), channel, route.name(), body, ListenerFailure.Reason.HANDLER,
							cause));
			}
			catch (RuntimeException handlerFailure) {
				logger.error("The listener error handler failed on a failure of " + getId(), handlerFailure);
			}
		}
		finally {
			meters.handled(System.nanoTime() - start);
		}
	}

	/** {@code __keyevent@0__:expired} to event "expired", database 0. */
	static KeyEvent event(String channel, String key) {
		int at = channel.indexOf('@');
		int end = channel.indexOf("__:", at);
		int database = 0;
		String event = channel;
		if (at >= 0 && end > at) {
			try {
				database = Integer.parseInt(channel.substring(at + 1, end));
			}
			catch (NumberFormatException ex) {
				database = -1;
			}
			event = channel.substring(end + 3);
		}
		return new KeyEvent(event, key, database);
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		for (AutoCloseable subscription : this.subscriptions) {
			try {
				subscription.close();
			}
			catch (Exception ex) {
				logger.debug("Unsubscribing " + getId() + ": " + ex);
			}
		}
		this.subscriptions.clear();
		RedisListenerSupport current = this.support.get();
		if (this.dispatcher != null && current != null) {
			this.dispatcher.stop(current.remainingShutdownWait());
		}
		this.dispatcher = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

}
