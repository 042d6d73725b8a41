package dev.redisstarter.core;

import io.micrometer.common.docs.KeyName;

/** The tag keys of the starter's meters, shared by every capability ({@code outcome} above all). */
public enum MeterTag implements KeyName {

	/** What happened: hit, miss, allowed, rejected, sent, failed, ... */
	OUTCOME("outcome"),
	/** The cache: the part of the key before its first {@code ':'}. */
	CACHE("cache"),
	/** The rate limit's name. */
	NAME("name"),
	/** A pub/sub listener's id. */
	LISTENER("listener"),
	/** The channel or pattern a listener subscribed to (never the matching channel). */
	ROUTE("route"),
	/** The stream's name. */
	STREAM("stream"),
	/** The consumer group. */
	GROUP("group"),
	/** The job queue's name. */
	QUEUE("queue"),
	/** The state of the jobs counted: waiting, delayed, active, dead. */
	STATE("state"),
	/** The job schedule's name. */
	SCHEDULE("schedule"),
	/**
	 * The capability whose call it was: cache, ratelimit, lock, session, messaging, stream, queue, leaderboard or
	 * application (the application's own calls through the {@code RedisCalls} bean).
	 */
	CAPABILITY("capability"),
	/** The simple name of the type a value was read as. */
	TYPE("type");

	private final String key;

	MeterTag(String key) {
		this.key = key;
	}

	@Override
	public String asString() {
		return this.key;
	}

}
