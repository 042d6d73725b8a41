package dev.redisstarter.benchmarks.pubsub;

/**
 * The message both sides publish: about 130 bytes of JSON. {@code sentNanos} is {@link System#nanoTime()} taken
 * just before the publish call (publisher and listeners run in the same JVM, so the clock is the same one).
 *
 * @param run which measured run sent it (stragglers of an earlier run are ignored)
 * @param publisher which publishing thread sent it
 * @param seq that thread's sequence number, from 0
 * @param sentNanos when it was handed to the publish call
 * @param sku a product code
 * @param priceCents a price
 * @param currency a currency code
 * @param note a short text
 */
public record Tick(int run, int publisher, long seq, long sentNanos, String sku, long priceCents, String currency,
		String note) {

	static Tick of(int run, int publisher, long seq) {
		return new Tick(run, publisher, seq, System.nanoTime(), "SKU-" + (10_000 + seq % 1_000), 1999 + seq % 100,
				"EUR", "price update");
	}

}
