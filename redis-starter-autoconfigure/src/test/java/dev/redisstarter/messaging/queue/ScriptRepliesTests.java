package dev.redisstarter.messaging.queue;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue's script replies are read by the names their Lua headers give, without Redis. */
class ScriptRepliesTests {

	@Test
	void aTakeReplyNamesWaitNowPauseAndTheJobsAfterThem() {
		List<Object> job = List.of("id-1", new byte[0], 1L, 3L);
		TakeReply reply = TakeReply.of(List.of(-1L, 1_000L, 2L, job, job));
		assertThat(reply.waitMillis()).isEqualTo(TakeReply.MORE_WAITING);
		assertThat(reply.nowMillis()).isEqualTo(1_000L);
		assertThat(reply.paused()).isTrue();
		assertThat(reply.queueBacksOff()).as("2 is the rate limit's window, not the queue's back-off").isFalse();
		assertThat(reply.jobs()).hasSize(2).allSatisfy((taken) -> assertThat(taken).isSameAs(job));
	}

	@Test
	void aTakeReplyWithoutJobsTakesNothing() {
		TakeReply reply = TakeReply.of(List.of(250L, 1_000L, 1L));
		assertThat(reply.jobs()).isEmpty();
		assertThat(reply.queueBacksOff()).isTrue();
	}

	@Test
	void enqueueFailAndDeadBatchRepliesNameTheirFields() {
		assertThat(EnqueueReply.of(List.of("job-7".getBytes(), 0L))).isEqualTo(new EnqueueReply("job-7", false));
		assertThat(FailReply.of(List.of(2L, 5L))).isEqualTo(new FailReply(FailReply.DEAD, 5));
		assertThat(DeadBatchReply.of(List.of(3L, 100L))).isEqualTo(new DeadBatchReply(3, 100));
		assertThat(StalledReply.of(List.of(1L, 2L, 3L, 4L))).isEqualTo(new StalledReply(1, 2, 3, 4));
		assertThat(ScheduleTickReply.of(List.of(0L, -1L))).isEqualTo(new ScheduleTickReply(0, -1));
		assertThat(QueueCounts.of("q", List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L)))
			.isEqualTo(new QueueCounts("q", 1, 2, 3, 4, 5, 6, 7));
	}

}
