package dev.redisstarter.core.subscription;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.redisstarter.core.subscription.NodeConnection.Op;
import dev.redisstarter.core.subscription.RouteStates.Registration;

/**
 * Who listens to which route, and how a received message reaches them: a listener subscribed directly on the
 * I/O thread that received it, the others in arrival order on the inbox's one thread (started with the first such
 * listener, so a subscriber whose listeners are all direct needs none). Also tells each listener when its route is
 * confirmed or lost ({@link RouteStates}).
 */
final class RouteListeners {

	private static final Log logger = LogFactory.getLog(RouteListeners.class);

	private final Map<Route, List<Registration>> byRoute = new ConcurrentHashMap<>();

	private final RouteStates states = new RouteStates();

	private final SubscriberInbox inbox;

	private boolean delivering;

	RouteListeners(long inboxLimitBytes) {
		if (inboxLimitBytes < 1) {
			throw new IllegalArgumentException("The inbox limit must be positive, was " + inboxLimitBytes);
		}
		this.inbox = new SubscriberInbox(inboxLimitBytes, this::deliverQueued);
	}

	/**
	 * Adds a listener.
	 * @param route its route
	 * @param listener the listener
	 * @param direct whether it is called on the I/O thread
	 * @return removes it
	 */
	Runnable add(Route route, RouteListener listener, boolean direct) {
		Registration registration = new Registration(listener, direct);
		this.byRoute.computeIfAbsent(route, (r) -> new CopyOnWriteArrayList<>()).add(registration);
		if (!direct) {
			startInboxIfDelivering();
		}
		return () -> this.byRoute.computeIfPresent(route, (r, list) -> {
			list.remove(registration);
			return list.isEmpty() ? null : list;
		});
	}

	/** Delivery may begin: the inbox thread starts once a listener needs it. */
	synchronized void startDelivering() {
		this.delivering = true;
		if (this.byRoute.values().stream().flatMap(List::stream).anyMatch((r) -> !r.direct())) {
			this.inbox.start();
		}
	}

	private synchronized void startInboxIfDelivering() {
		if (this.delivering) {
			this.inbox.start();
		}
	}

	/** @return every route that has a listener */
	Set<Route> routes() {
		return Set.copyOf(this.byRoute.keySet());
	}

	/** @return how many routes have a listener */
	int size() {
		return this.byRoute.size();
	}

	/** @return how many received messages were dropped because the inbox was full */
	long dropped() {
		return this.inbox.dropped();
	}

	/**
	 * A message received, on Lettuce's I/O thread: direct listeners now, the others through the inbox, whatever
	 * they do.
	 */
	void received(Op op, String name, String channel, byte[] body) {
		boolean queue = false;
		for (Route route : routesOf(op, name)) {
			List<Registration> targets = this.byRoute.get(route);
			if (targets == null) {
				continue;
			}
			for (Registration target : targets) {
				if (target.direct()) {
					call(target, route, channel, body);
				}
				else {
					queue = true;
				}
			}
		}
		if (queue) {
			this.inbox.offer(new SubscriberInbox.Item(op, name, channel, body));
		}
	}

	private void deliverQueued(SubscriberInbox.Item item) {
		for (Route route : routesOf(item.op(), item.name())) {
			List<Registration> targets = this.byRoute.get(route);
			if (targets == null) {
				continue;
			}
			for (Registration target : targets) {
				if (!target.direct()) {
					call(target, route, item.channel(), item.body());
				}
			}
		}
	}

	/** The routes a message received by one command family may belong to. */
	private static List<Route> routesOf(Op op, String name) {
		return switch (op) {
			case SUBSCRIBE -> List.of(new Route(Route.Kind.CHANNEL, name), new Route(Route.Kind.SHARD_CHANNEL, name));
			case PSUBSCRIBE -> List.of(new Route(Route.Kind.PATTERN, name), new Route(Route.Kind.NODE_PATTERN, name));
			case SSUBSCRIBE -> List.of(new Route(Route.Kind.SHARD_CHANNEL, name));
		};
	}

	private static void call(Registration target, Route route, String channel, byte[] body) {
		try {
			target.listener().message(route, channel, body);
		}
		catch (RuntimeException | Error ex) {
			// Whatever a listener throws, the delivering thread goes on with the next message.
			logger.error("A listener of " + route + " failed", ex);
		}
	}

	/**
	 * Tells the listeners whose route was confirmed or lost since they were last told.
	 * @param confirmed whether the server confirms a route now
	 */
	void refreshStates(Predicate<Route> confirmed) {
		this.states.refresh(this.byRoute, confirmed);
	}

	/** Stops delivering; listeners told their route is confirmed are told it is lost. */
	void close() {
		this.inbox.close();
		this.states.loseAll(this.byRoute);
	}

}
