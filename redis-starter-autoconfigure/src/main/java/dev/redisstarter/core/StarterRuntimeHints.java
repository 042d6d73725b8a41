package dev.redisstarter.core;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image of an application needs from the starter beyond its beans: the Lua scripts, which
 * {@link LuaScript} reads from the classpath at start-up. Handler methods are covered by
 * {@link HandlerReflectiveProcessor} on the listener annotations.
 */
public final class StarterRuntimeHints implements RuntimeHintsRegistrar {

	/** Where every script lives: one folder per capability. */
	static final String SCRIPTS = "dev/redisstarter/*/*.lua";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(SCRIPTS);
	}

}
