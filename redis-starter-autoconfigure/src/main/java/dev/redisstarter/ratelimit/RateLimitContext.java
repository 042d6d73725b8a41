package dev.redisstarter.ratelimit;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What the surroundings of a call contribute to rate limiting: the web layer supplies the client address
 * as default key and key variables, and writes each decision into the response's headers.
 */
public interface RateLimitContext {

	/**
	 * The key used when an annotation names none, or {@code null} when this context has none to offer.
	 * @return the default key
	 */
	@Nullable String defaultKey();

	/**
	 * Variables available to key expressions, such as {@code clientAddress}.
	 * @return variables by name; empty outside this context
	 */
	Map<String, Object> variables();

	/**
	 * The names of the variables this context offers key expressions, so that start-up can tell a misspelled
	 * {@code #variable} from one of these.
	 * @return the names, without {@code #}
	 */
	default Set<String> variableNames() {
		return Set.of();
	}

	/**
	 * Whether an HTTP rule already consumed this limit for this key in this context (a web request), so that
	 * {@code @RateLimited} with the same policy and key does not consume it twice. Only the rule filter records;
	 * a method called several times in one request consumes each time.
	 * @param key the limited key
	 * @param limit the limit
	 * @return true when a rule took it for this request already
	 */
	default boolean decidedByRule(String key, RateLimit limit) {
		return false;
	}

	/**
	 * Observes the decision on a call, allowed or not.
	 * @param result the decision
	 */
	void decided(RateLimitResult result);

}
