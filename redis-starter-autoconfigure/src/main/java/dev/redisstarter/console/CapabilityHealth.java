package dev.redisstarter.console;

import java.util.Map;

/**
 * The health of the starter's capabilities as the console's overview shows it: the status of each of the
 * starter's health components ({@code redis}, {@code jobqueues}, {@code streams}) that the application has.
 */
@FunctionalInterface
public interface CapabilityHealth {

	/**
	 * The statuses now.
	 * @return per component, its status code ({@code UP}, {@code DOWN} ...)
	 */
	Map<String, String> statuses();

}
