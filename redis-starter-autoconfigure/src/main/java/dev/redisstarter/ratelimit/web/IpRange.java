package dev.redisstarter.ratelimit.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;

/**
 * An address or a CIDR block ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}), for trusted proxies.
 * Only literal addresses are accepted, so parsing never asks DNS.
 *
 * @param network the block's address bytes
 * @param prefixLength how many leading bits must match
 */
public record IpRange(byte[] network, int prefixLength) {

	/**
	 * Parses a range.
	 * @param text an address, or an address with {@code /prefix}
	 * @return the range
	 * @throws IllegalArgumentException when the text is not a literal address or block
	 */
	public static IpRange parse(String text) {
		String trimmed = text.strip();
		int slash = trimmed.indexOf('/');
		String address = (slash >= 0) ? trimmed.substring(0, slash) : trimmed;
		InetAddress parsed = literal(address);
		if (parsed == null) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
		}
		int bits = parsed.getAddress().length * 8;
		int prefix = bits;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(trimmed.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + text + "' has an invalid prefix length", ex);
			}
			if (prefix < 0 || prefix > bits) {
				throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0 to " + bits);
			}
		}
		return new IpRange(parsed.getAddress(), prefix);
	}

	/**
	 * Whether an address falls in this range.
	 * @param address a literal address
	 * @return whether it matches; {@code false} for anything that is not an address
	 */
	public boolean contains(@Nullable String address) {
		InetAddress parsed = (address != null) ? literal(address.strip()) : null;
		if (parsed == null) {
			return false;
		}
		byte[] bytes = parsed.getAddress();
		if (bytes.length != this.network.length) {
			return false;
		}
		int full = this.prefixLength / 8;
		for (int i = 0; i < full; i++) {
			if (bytes[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xFF << (8 - rest)) & 0xFF;
		return (bytes[full] & mask) == (this.network[full] & mask);
	}

	static @Nullable InetAddress literal(String address) {
		String bare = (address.startsWith("[") && address.endsWith("]")) ? address.substring(1, address.length() - 1) : address;
		if (bare.isEmpty() || !bare.chars().allMatch((c) -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
			return null;
		}
		if (bare.indexOf(':') < 0 && !bare.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
			return null;
		}
		if (bare.indexOf(':') >= 0 && Character.digit(bare.charAt(0), 16) < 0 && bare.charAt(0) != ':') {
			// Not an IPv6 literal (".1:2"): InetAddress would hand it to the system resolver.
			return null;
		}
		try {
			return InetAddress.getByName(bare);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
