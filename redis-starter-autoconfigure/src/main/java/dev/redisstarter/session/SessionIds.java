package dev.redisstarter.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Session ids: 128 bits from {@link SecureRandom}, URL-safe base64, then {@code .} and a 4-hex-digit tag
 * derived from the user id (the first two bytes of its SHA-256). The tag puts every session of a user and the
 * user's index in one Redis Cluster slot, so each operation is one atomic script; it is not secret and says
 * nothing about the user beyond "probably the same user as another id with the same tag" (1 in 65,536).
 */
final class SessionIds {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final SecureRandom random = new SecureRandom();

	String newId(String userId) {
		return newIdWithTag(tag(userId));
	}

	String newIdWithTag(String tag) {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return ENCODER.encodeToString(bytes) + "." + tag;
	}

	static String tag(String userId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 2);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/** The tag of a well-formed id, or {@code null} for anything else (which then names no session). */
	static @Nullable String tagOf(@Nullable String id) {
		if (id == null || id.length() != 27 || id.charAt(22) != '.') {
			return null;
		}
		for (int i = 0; i < 27; i++) {
			char c = id.charAt(i);
			boolean valid = (i == 22) || (i < 22 && (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_'))
					|| (i > 22 && Character.digit(c, 16) >= 0 && !Character.isUpperCase(c));
			if (!valid) {
				return null;
			}
		}
		return id.substring(23);
	}

}
