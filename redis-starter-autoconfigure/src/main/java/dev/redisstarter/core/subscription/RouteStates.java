package dev.redisstarter.core.subscription;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells each listener when its route becomes confirmed by the server ({@link RouteListener#subscribed}) and when
 * it stops being so ({@link RouteListener#lost}), once per change. Looked at whenever a connection reports
 * something (on Lettuce's threads) and after each reconcile (on the loop thread), so a change is told at most as
 * late as the event that caused it.
 */
final class RouteStates {

	private static final Log logger = LogFactory.getLog(RouteStates.class);

	/** What each registration was last told; a registration not here was told nothing yet. */
	private final Map<Registration, Boolean> told = new IdentityHashMap<>();

	/**
	 * Tells every registration whose route changed state.
	 * @param listeners the registrations by route
	 * @param confirmed whether the server confirms a route now
	 */
	synchronized void refresh(Map<Route, List<Registration>> listeners, Predicate<Route> confirmed) {
		Map<Registration, Boolean> seen = new IdentityHashMap<>();
		listeners.forEach((route, registrations) -> {
			boolean up = confirmed.test(route);
			for (Registration registration : registrations) {
				seen.put(registration, up);
				Boolean before = this.told.get(registration);
				if ((before == null) ? up : before != up) {
					tell(registration, route, up);
				}
			}
		});
		this.told.clear();
		this.told.putAll(seen);
	}

	/** Tells every registration told {@code subscribed} that its route is lost (the subscriber closes). */
	synchronized void loseAll(Map<Route, List<Registration>> listeners) {
		listeners.forEach((route, registrations) -> {
			for (Registration registration : registrations) {
				if (Boolean.TRUE.equals(this.told.get(registration))) {
					tell(registration, route, false);
				}
			}
		});
		this.told.clear();
	}

	private static void tell(Registration registration, Route route, boolean up) {
		try {
			if (up) {
				registration.listener().subscribed(route);
			}
			else {
				registration.listener().lost(route);
			}
		}
		catch (RuntimeException | Error ex) {
			logger.error("A listener of " + route + " failed when told it is " + (up ? "subscribed" : "lost"), ex);
		}
	}

	/**
	 * One listener of one route. Compared by identity: the same listener subscribed twice is two registrations.
	 * @param listener what is told
	 * @param direct whether its messages are delivered on Lettuce's I/O thread rather than the inbox's
	 */
	record Registration(RouteListener listener, boolean direct) {

		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

}
