package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * The first jobs of one state, as {@link JobQueue#jobs} lists them: their payloads cut, without stack traces and
 * histories.
 *
 * @param queue the queue
 * @param state the state
 * @param total how many jobs have the state
 * @param jobs the first of them
 */
public record JobList(String queue, JobState state, long total, List<JobInfo> jobs) {

	/**
	 * @param queue the queue
	 * @param state the state
	 * @param total how many jobs have the state
	 * @param jobs the first of them
	 */
	public JobList {
		jobs = List.copyOf(jobs);
	}

}
