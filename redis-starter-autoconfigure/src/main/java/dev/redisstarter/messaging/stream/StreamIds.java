package dev.redisstarter.messaging.stream;

import dev.redisstarter.core.Masking;

/**
 * Stream entry ids ({@code <milliseconds>-<sequence>}) compared as Redis compares them.
 */
final class StreamIds {

	private StreamIds() {
	}

	static int compare(String left, String right) {
		long[] a = parse(left);
		long[] b = parse(right);
		int byTime = Long.compareUnsigned(a[0], b[0]);
		return (byTime != 0) ? byTime : Long.compareUnsigned(a[1], b[1]);
	}

	/**
	 * The time part of an id.
	 * @param id an entry id
	 * @return milliseconds since the epoch when the entry was added (by the server's clock)
	 */
	static long millis(String id) {
		return parse(id)[0];
	}

	private static long[] parse(String id) {
		int dash = id.indexOf('-');
		try {
			if (dash < 0) {
				return new long[] { Long.parseUnsignedLong(id), 0 };
			}
			return new long[] { Long.parseUnsignedLong(id.substring(0, dash)),
					Long.parseUnsignedLong(id.substring(dash + 1)) };
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not a stream entry id: " + Masking.mask(id), ex);
		}
	}

}
