package dev.redisstarter.ratelimit.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds the address of the client behind a request. {@code X-Forwarded-For} is believed only when the
 * connection comes from a trusted proxy, and then read from the right: each trusted hop is skipped, and the
 * first untrusted address is the client. So a client cannot pick a fresh rate-limit bucket by sending a
 * made-up header, whatever it puts on the left.
 */
public final class ClientAddressResolver {

	private final List<IpRange> trustedProxies;

	private final int ipv6PrefixLength;

	/**
	 * A resolver that groups IPv6 clients by their /64.
	 * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed; empty to ignore the header
	 */
	public ClientAddressResolver(List<IpRange> trustedProxies) {
		this(trustedProxies, 64);
	}

	/**
	 * A resolver.
	 * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed; empty to ignore the header
	 * @param ipv6PrefixLength how many leading bits of an IPv6 address name its client (64: one subscriber's
	 * network, since each holds a /64 or more and can pick any address in it; 128: every address apart)
	 */
	public ClientAddressResolver(List<IpRange> trustedProxies, int ipv6PrefixLength) {
		if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
			throw new IllegalArgumentException("The IPv6 prefix length must be 1 to 128, was " + ipv6PrefixLength);
		}
		this.trustedProxies = List.copyOf(trustedProxies);
		this.ipv6PrefixLength = ipv6PrefixLength;
	}

	/**
	 * The client's address.
	 * @param request the request
	 * @return the client address
	 */
	public String resolve(HttpServletRequest request) {
		return grouped(client(request));
	}

	private String client(HttpServletRequest request) {
		String remote = request.getRemoteAddr();
		if (!trusted(remote)) {
			return remote;
		}
		List<String> hops = new ArrayList<>();
		for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
			for (String hop : header.split(",")) {
				if (!hop.isBlank()) {
					hops.add(hop.strip());
				}
			}
		}
		for (int i = hops.size() - 1; i >= 0; i--) {
			if (!trusted(hops.get(i))) {
				return hops.get(i);
			}
		}
		return hops.isEmpty() ? remote : hops.get(0);
	}

	/** An IPv6 literal as its network ({@code 2001:db8:1:2::/64}); anything else as it is. Never a DNS lookup. */
	String grouped(String address) {
		if (this.ipv6PrefixLength == 128 || address.indexOf(':') < 0) {
			return address;
		}
		String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
				: address;
		int zone = literal.indexOf('%');
		if (zone >= 0) {
			literal = literal.substring(0, zone);
		}
		java.net.InetAddress parsed = IpRange.literal(literal);
		if (parsed == null) {
			return address;
		}
		byte[] bytes = parsed.getAddress();
		if (bytes.length != 16 || embedsIpv4(bytes)) {
			// IPv4 clients (mapped, compatible, or behind NAT64) share the prefix: keep each address apart.
			return address;
		}
		for (int bit = this.ipv6PrefixLength; bit < 128; bit++) {
			bytes[bit / 8] &= (byte) ~(1 << (7 - bit % 8));
		}
		try {
			return java.net.InetAddress.getByAddress(bytes).getHostAddress() + "/" + this.ipv6PrefixLength;
		}
		catch (java.net.UnknownHostException ex) {
			return address;
		}
	}

	/** {@code ::a.b.c.d} and NAT64's {@code 64:ff9b::/96}: the last 32 bits are an IPv4 client's. */
	private static boolean embedsIpv4(byte[] bytes) {
		boolean compatible = true;
		for (int i = 0; i < 12; i++) {
			compatible &= bytes[i] == 0;
		}
		boolean nat64 = bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == (byte) 0xff && bytes[3] == (byte) 0x9b;
		for (int i = 4; i < 12 && nat64; i++) {
			nat64 = bytes[i] == 0;
		}
		return compatible || nat64;
	}

	private boolean trusted(String address) {
		for (IpRange range : this.trustedProxies) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

}
