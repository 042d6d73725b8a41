package dev.redisstarter.messaging.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How much a stream consumer reads ahead of its handlers and how much room a read has, without Redis. */
class ReadAheadTests {

	@Test
	void theSingleFormReadsAheadTwiceARead() {
		ReadAhead readAhead = ReadAhead.of(false, 10, 4);
		assertThat(readAhead.capacity()).isEqualTo(20);
		assertThat(readAhead.wanted()).as("half the read-ahead free before a read").isEqualTo(10);
		assertThat(ReadAhead.of(false, 2, 8).capacity()).as("at least twice the handlers").isEqualTo(16);
		assertThat(ReadAhead.of(false, 1, 1).wanted()).isEqualTo(1);
	}

	@Test
	void theBatchFormCountsListsOnePerHandlerAndOneMore() {
		ReadAhead readAhead = ReadAhead.of(true, 50, 3);
		assertThat(readAhead.capacity()).isEqualTo(4);
		assertThat(readAhead.wanted()).isEqualTo(1);
		assertThat(readAhead.readSize(1)).as("a whole read makes one list").isEqualTo(50);
	}

	@Test
	void entriesWaitingForARetryHoldRoomThoughTheyHoldNoPermit() {
		ReadAhead single = ReadAhead.of(false, 10, 4);
		assertThat(single.room(20, 0)).isEqualTo(20);
		assertThat(single.room(20, 15)).isEqualTo(5);
		assertThat(single.room(5, 15)).as("no room: wait rather than read more").isNegative();
		assertThat(single.readSize(5)).isEqualTo(5);
		ReadAhead batch = ReadAhead.of(true, 50, 3);
		assertThat(batch.room(4, 0)).isEqualTo(4);
		assertThat(batch.room(4, 1)).as("a partial list of waiting entries holds a list's room").isEqualTo(3);
		assertThat(batch.room(4, 100)).isEqualTo(2);
	}

}
