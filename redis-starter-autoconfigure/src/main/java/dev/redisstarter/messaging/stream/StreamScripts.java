package dev.redisstarter.messaging.stream;

import java.util.List;

import dev.redisstarter.core.LuaScript;

/**
 * The stream scripts, each in {@code dev/redisstarter/stream/}.
 *
 * @param add adds and trims ({@code add.lua})
 * @param deadLetter moves a failed entry to the dead letters, acknowledges it and says how many old dead letters
 * the bound trimmed ({@code dead-letter.lua})
 * @param reclaim claims entries of stopped consumers with their delivery counts ({@code reclaim.lua})
 * @param retry takes a failed entry back for another delivery ({@code retry.lua})
 * @param replay puts a dead letter back into its stream ({@code replay.lua})
 * @param removeIdleConsumer removes a consumer with nothing pending ({@code remove-idle-consumer.lua})
 * @param deadList lists dead letters with long values cut ({@code dead-list.lua})
 */
@SuppressWarnings("rawtypes")
record StreamScripts(LuaScript<byte[]> add, LuaScript<List> deadLetter, LuaScript<List> reclaim,
		LuaScript<List> retry, LuaScript<byte[]> replay, LuaScript<Long> removeIdleConsumer,
		LuaScript<List> deadList) {

	static StreamScripts load() {
		String directory = "dev/redisstarter/stream/";
		return new StreamScripts(LuaScript.load(directory + "add.lua", byte[].class),
				LuaScript.load(directory + "dead-letter.lua", List.class),
				LuaScript.load(directory + "reclaim.lua", List.class), LuaScript.load(directory + "retry.lua", List.class),
				LuaScript.load(directory + "replay.lua", byte[].class),
				LuaScript.load(directory + "remove-idle-consumer.lua", Long.class),
				LuaScript.load(directory + "dead-list.lua", List.class));
	}

}
