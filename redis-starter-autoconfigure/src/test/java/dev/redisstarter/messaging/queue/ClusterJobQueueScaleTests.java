package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale test on a three-master Cluster, smaller: every script touches only keys of the queue's hash tag (a
 * CROSSSLOT error would fail enqueues and leave workers retrying), and each job runs exactly once.
 */
@RealRedis(Topology.CLUSTER)
class ClusterJobQueueScaleTests {

	private static final int JOBS = 2_000;

	@Test
	void twoThousandJobsThroughTwoInstancesOnAClusterEachRunExactlyOnce() {
		String queue = "scale-" + UUID.randomUUID();
		JobQueueScaleTests.Ledger ledger = new JobQueueScaleTests.Ledger();
		RedisDeployment redis = SharedRedis.cluster();
		JobQueueScaleTests.instance(redis, queue, ledger, "a")
			.run((a) -> JobQueueScaleTests.instance(redis, queue, ledger, "b").run((b) -> {
				assertThat(a).hasNotFailed();
				assertThat(b).hasNotFailed();
				JobQueue jobs = a.getBean(JobQueue.class);
				List<String> ids = JobQueueScaleTests.enqueue(jobs, queue, JOBS, 250);

				JobQueueScaleTests.awaitDrained(jobs, queue, ledger, JOBS, Duration.ofSeconds(30));
				JobQueueScaleTests.assertExactlyOnce(ledger, ids);
				assertThat(ledger.startedBy.keySet()).as("each instance took a share").containsExactlyInAnyOrder("a", "b");
				assertThat(jobs.job(queue, ids.get(ids.size() - 1))).get()
					.satisfies((job) -> assertThat(job.state()).isEqualTo(JobState.COMPLETED));
			}));
	}

}
