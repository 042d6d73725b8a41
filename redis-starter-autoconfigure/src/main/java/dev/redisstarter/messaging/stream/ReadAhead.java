package dev.redisstarter.messaging.stream;

/**
 * How much a stream consumer reads ahead of its handlers, and how much room a read has: pure arithmetic, so that it
 * is unit-tested without Redis. Reads are full ({@code COUNT read-count}) and overlap the handling of what came before:
 * the batch form counts lists (one per handler and one more), the single form entries (twice a read, at least twice
 * the handlers).
 *
 * @param batch whether the listener takes lists
 * @param readCount the most entries one read takes
 * @param capacity handler slots plus read-ahead, in entries (single form) or lists (batch form)
 */
record ReadAhead(boolean batch, int readCount, int capacity) {

	/**
	 * The read-ahead of a listener.
	 * @param batch whether the listener takes lists
	 * @param readCount the most entries one read takes
	 * @param concurrency its handler threads
	 * @return the read-ahead
	 */
	static ReadAhead of(boolean batch, int readCount, int concurrency) {
		return new ReadAhead(batch, readCount, batch ? concurrency + 1 : 2 * Math.max(readCount, concurrency));
	}

	/**
	 * How many permits must be free before a read: a list's slot, or half the read-ahead.
	 * @return the permits to wait for
	 */
	int wanted() {
		return this.batch ? 1 : Math.max(1, this.capacity / 2);
	}

	/**
	 * How many more entries (the batch form: lists) may be taken on: the free permits, less the entries waiting for a
	 * retry or for the circuit, which hold no permit while they wait but count against the bound.
	 * @param available the free permits
	 * @param waiting the entries waiting for a retry or the circuit
	 * @return the room, 0 or less when there is none
	 */
	int room(int available, int waiting) {
		if (this.batch) {
			return available - (waiting + this.readCount - 1) / this.readCount;
		}
		return available - waiting;
	}

	/**
	 * How many entries the next read may take, given its room.
	 * @param room what {@link #room} answered, above 0
	 * @return a whole read in the batch form (one list), the room in the single form
	 */
	int readSize(int room) {
		return this.batch ? this.readCount : room;
	}

}
