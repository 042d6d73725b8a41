package dev.redisstarter.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and arguments for a script or raw command, as Redis takes them: byte arrays, text in UTF-8. One place for
 * the conversion, and a builder for calls whose argument list is built piece by piece.
 */
public final class ScriptArgs {

	private final List<byte[]> values = new ArrayList<>();

	private ScriptArgs() {
	}

	/**
	 * Text as Redis takes it.
	 * @param text the text
	 * @return its UTF-8 bytes
	 */
	public static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Starts a list with the call's keys.
	 * @param keys the keys, in the order the script reads them
	 * @return the builder
	 */
	public static ScriptArgs keys(byte[]... keys) {
		ScriptArgs args = new ScriptArgs();
		args.values.addAll(List.of(keys));
		return args;
	}

	/**
	 * Adds text.
	 * @param text the next argument
	 * @return this builder
	 */
	public ScriptArgs add(String text) {
		this.values.add(utf8(text));
		return this;
	}

	/**
	 * Adds a number, in decimal.
	 * @param number the next argument
	 * @return this builder
	 */
	public ScriptArgs add(long number) {
		return add(Long.toString(number));
	}

	/**
	 * Adds bytes as they are (a payload already encoded).
	 * @param bytes the next argument
	 * @return this builder
	 */
	public ScriptArgs add(byte[] bytes) {
		this.values.add(bytes);
		return this;
	}

	/** @return the keys and arguments, in order */
	public byte[][] toArray() {
		return this.values.toArray(new byte[0][]);
	}

}
