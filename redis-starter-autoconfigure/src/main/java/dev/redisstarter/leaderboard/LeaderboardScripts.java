package dev.redisstarter.leaderboard;

import java.util.List;

import dev.redisstarter.core.LuaScript;

/**
 * The leaderboard's Lua scripts, loaded once per {@link RedisLeaderboards}.
 *
 * @param writeScore sets, increments or keeps the best score ({@code write-score.lua})
 * @param removeMembers removes one member or all below the top N ({@code remove-members.lua})
 * @param rank reads one member's rank ({@code rank.lua})
 * @param range reads entries in rank order ({@code range.lua})
 */
@SuppressWarnings("rawtypes")
record LeaderboardScripts(LuaScript<List> writeScore, LuaScript<Long> removeMembers, LuaScript<List> rank,
		LuaScript<List> range) {

	private static final String DIRECTORY = "dev/redisstarter/leaderboard/";

	static LeaderboardScripts load() {
		return new LeaderboardScripts(LuaScript.load(DIRECTORY + "write-score.lua", List.class),
				LuaScript.load(DIRECTORY + "remove-members.lua", Long.class),
				LuaScript.load(DIRECTORY + "rank.lua", List.class), LuaScript.load(DIRECTORY + "range.lua", List.class));
	}

}
