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

	/**
	 * A resolver.
	 * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed; empty to ignore the header
	 */
	public ClientAddressResolver(List<IpRange> trustedProxies) {
		this.trustedProxies = List.copyOf(trustedProxies);
	}

	/**
	 * The client's address.
	 * @param request the request
	 * @return the client address
	 */
	public String resolve(HttpServletRequest request) {
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

	private boolean trusted(String address) {
		for (IpRange range : this.trustedProxies) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

}
