package dev.redisstarter.messaging.queue;

import java.util.List;

import dev.redisstarter.core.LuaScript;

/**
 * The queue scripts, each in {@code dev/redisstarter/queue/} with a header stating its keys, arguments and
 * reply.
 */
@SuppressWarnings("rawtypes")
record QueueScripts(LuaScript<List> enqueue, LuaScript<List> take, LuaScript<List> complete, LuaScript<List> fail,
		LuaScript<List> renew, LuaScript<Long> release, LuaScript<List> stalled, LuaScript<Long> backOff,
		LuaScript<List> counts, LuaScript<List> job, LuaScript<List> deadList, LuaScript<List> deadRetry,
		LuaScript<List> deadPurge, LuaScript<Long> progress, LuaScript<Long> cancelTake, LuaScript<Long> start,
		LuaScript<List> unhandled, LuaScript<Long> promote, LuaScript<Long> resume,
		LuaScript<List> jobsList, LuaScript<List> workers, LuaScript<Long> leave) {

	static QueueScripts load() {
		String directory = "dev/redisstarter/queue/";
		return new QueueScripts(LuaScript.load(directory + "enqueue.lua", List.class),
				LuaScript.load(directory + "take.lua", List.class), LuaScript.load(directory + "complete.lua", List.class),
				LuaScript.load(directory + "fail.lua", List.class), LuaScript.load(directory + "renew.lua", List.class),
				LuaScript.load(directory + "release.lua", Long.class),
				LuaScript.load(directory + "stalled.lua", List.class),
				LuaScript.load(directory + "back-off.lua", Long.class), LuaScript.load(directory + "counts.lua", List.class),
				LuaScript.load(directory + "job.lua", List.class), LuaScript.load(directory + "dead-list.lua", List.class),
				LuaScript.load(directory + "dead-retry.lua", List.class),
				LuaScript.load(directory + "dead-purge.lua", List.class),
				LuaScript.load(directory + "progress.lua", Long.class),
				LuaScript.load(directory + "cancel-take.lua", Long.class),
				LuaScript.load(directory + "start.lua", Long.class),
				LuaScript.load(directory + "unhandled.lua", List.class),
				LuaScript.load(directory + "promote.lua", Long.class), LuaScript.load(directory + "resume.lua", Long.class),
				LuaScript.load(directory + "jobs-list.lua", List.class),
				LuaScript.load(directory + "workers.lua", List.class), LuaScript.load(directory + "leave.lua", Long.class));
	}

}
