/**
 * What every capability shares: key naming ({@link dev.redisstarter.core.KeyNaming}), the JSON codec
 * ({@link dev.redisstarter.core.JsonCodec}) and Lua script loading ({@link dev.redisstarter.core.LuaScript}).
 */
@NullMarked
package dev.redisstarter.core;

import org.jspecify.annotations.NullMarked;
