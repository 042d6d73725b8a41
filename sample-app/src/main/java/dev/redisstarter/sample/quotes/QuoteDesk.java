package dev.redisstarter.sample.quotes;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.stereotype.Component;

/**
 * Answers quote requests from any instance: the first instance to answer wins, the other replies are dropped.
 * A stand-in for a pricing service: prices are derived from the sku, so every instance quotes the same, and
 * the sku {@value #FAILING_SKU} always fails, to show what a listener's failure looks like to the requester.
 * Switched off with {@code sample.quotes.enabled=false}, to show a request that nobody answers (504).
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.quotes.enabled", matchIfMissing = true)
class QuoteDesk {

	static final String FAILING_SKU = "poison";

	/**
	 * A quote; returning it is what answers the request.
	 * @param sku the item (published as plain text)
	 * @return its price
	 */
	@RedisListener(QuoteController.CHANNEL)
	Quote quote(String sku) {
		if (FAILING_SKU.equals(sku)) {
			throw new IllegalStateException("The price list has no entry for '" + sku + "'");
		}
		return new Quote(sku, 100 + Math.floorMod(sku.hashCode(), 9_900));
	}

}
