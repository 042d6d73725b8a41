package dev.redisstarter.test.schedule;

/** A main class for {@link JvmProcessTests}: records a tick in its ledger every 20 ms. */
public final class Ticker {

	private Ticker() {
	}

	public static void main(String[] args) throws InterruptedException {
		EventLedger ledger = EventLedger.fromSystemProperties();
		System.out.println("ready");
		for (long tick = 0;; tick++) {
			ledger.record("tick", Long.toString(tick));
			Thread.sleep(20);
		}
	}

}
