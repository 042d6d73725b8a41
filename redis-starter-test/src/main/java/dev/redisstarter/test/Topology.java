package dev.redisstarter.test;

/** The shapes of Redis deployment the test support can start. */
public enum Topology {

	/** One server: {@link RedisServer#create()}. */
	STANDALONE,

	/** Three masters: {@link RedisCluster#threeMasters()}. */
	CLUSTER,

	/** A master, a replica and three sentinels: {@link RedisSentinelGroup#create()}. */
	SENTINEL

}
