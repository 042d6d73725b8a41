package dev.redisstarter.core;

import java.nio.charset.StandardCharsets;

/**
 * The encoded form of a hash-tagged key whose parts after the tag are fixed ({@code <prefix><capability>:{<tag>}:a:b}),
 * for hot paths that send keys as bytes: the bytes before and after the tag are encoded once, so a call builds each
 * key with one copy instead of a string builder, a string and its encoding. Keys equal {@link KeyNaming#hashTagged}'s
 * with the same tag and parts; the caller escapes the tag and bounds its length ({@link KeyNaming#checkPart}).
 */
public final class KeyTemplate {

	private final byte[] head;

	private final byte[] tail;

	KeyTemplate(String head, String tail) {
		this.head = head.getBytes(StandardCharsets.UTF_8);
		this.tail = tail.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The key for a tag.
	 * @param tag the tag's UTF-8 bytes, escaped by its capability (not empty, without {@code '}'})
	 * @return the key's bytes
	 */
	public byte[] key(byte[] tag) {
		byte[] key = new byte[this.head.length + tag.length + this.tail.length];
		System.arraycopy(this.head, 0, key, 0, this.head.length);
		System.arraycopy(tag, 0, key, this.head.length, tag.length);
		System.arraycopy(this.tail, 0, key, this.head.length + tag.length, this.tail.length);
		return key;
	}

}
