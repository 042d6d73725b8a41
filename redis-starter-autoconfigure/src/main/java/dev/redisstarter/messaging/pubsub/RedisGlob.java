package dev.redisstarter.messaging.pubsub;

import java.util.regex.Pattern;

/**
 * Matches strings against a Redis glob ({@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code [a-z]},
 * {@code \} escapes), as {@code PSUBSCRIBE} and {@code SCAN MATCH} read them.
 */
final class RedisGlob {

	private final Pattern pattern;

	RedisGlob(String glob) {
		StringBuilder regex = new StringBuilder();
		boolean inClass = false;
		for (int i = 0; i < glob.length(); i++) {
			char c = glob.charAt(i);
			if (c == '\\' && i + 1 < glob.length()) {
				regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
			}
			else if (inClass) {
				if (c == ']') {
					inClass = false;
					regex.append(']');
				}
				else if (c == '[' || c == '&' || c == '\\') {
					regex.append('\\').append(c);
				}
				else {
					regex.append(c);
				}
			}
			else if (c == '*') {
				regex.append(".*");
			}
			else if (c == '?') {
				regex.append('.');
			}
			else if (c == '[' && glob.indexOf(']', i + 1) > i + 1) {
				inClass = true;
				regex.append('[');
				if (i + 1 < glob.length() && glob.charAt(i + 1) == '^') {
					regex.append('^');
					i++;
				}
			}
			else {
				regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		this.pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

	boolean matches(String text) {
		return this.pattern.matcher(text).matches();
	}

}
