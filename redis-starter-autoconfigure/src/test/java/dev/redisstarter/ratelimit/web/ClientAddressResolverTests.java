package dev.redisstarter.ratelimit.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientAddressResolverTests {

	private final ClientAddressResolver behindProxies = new ClientAddressResolver(
			List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("127.0.0.1"), IpRange.parse("fd00::/8")));

	@Test
	void ipv6ClientsAreGroupedByTheirSlash64SoRotatingAddressesGetsNoFreshBucket() {
		ClientAddressResolver resolver = new ClientAddressResolver(List.of());
		assertThat(resolver.resolve(request("2001:db8:1:2:aaaa:bbbb:cccc:dddd", null))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(resolver.resolve(request("2001:db8:1:2::1", null))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(resolver.resolve(request("2001:db8:1:3::1", null))).isEqualTo("2001:db8:1:3:0:0:0:0/64");
		assertThat(new ClientAddressResolver(List.of(), 128).resolve(request("2001:db8:1:2::1", null)))
			.isEqualTo("2001:db8:1:2::1");
		assertThat(resolver.resolve(request("203.0.113.9", null))).as("IPv4 as it is").isEqualTo("203.0.113.9");
		assertThat(resolver.grouped("not:an-address.example")).as("never a DNS lookup").isEqualTo("not:an-address.example");
		assertThat(resolver.grouped(".1:2")).as("never a DNS lookup").isEqualTo(".1:2");
		assertThat(IpRange.literal(".1:2")).isNull();
		assertThat(resolver.grouped("64:ff9b::c000:221")).as("NAT64: an IPv4 client each").isEqualTo("64:ff9b::c000:221");
	}

	@Test
	void ignoresForwardedForFromAnUntrustedPeer() {
		MockHttpServletRequest request = request("203.0.113.9", "1.2.3.4");
		assertThat(this.behindProxies.resolve(request)).isEqualTo("203.0.113.9");
		assertThat(new ClientAddressResolver(List.of()).resolve(request("127.0.0.1", "1.2.3.4"))).isEqualTo("127.0.0.1");
	}

	@Test
	void takesTheFirstUntrustedHopFromTheRightSoASpoofedLeftPartIsIgnored() {
		assertThat(this.behindProxies.resolve(request("10.1.1.1", "198.51.100.7"))).isEqualTo("198.51.100.7");
		assertThat(this.behindProxies.resolve(request("10.1.1.1", "6.6.6.6, 198.51.100.7, 10.2.2.2")))
			.isEqualTo("198.51.100.7");
		MockHttpServletRequest twoHeaders = request("127.0.0.1", "6.6.6.6");
		twoHeaders.addHeader("X-Forwarded-For", "198.51.100.8");
		assertThat(this.behindProxies.resolve(twoHeaders)).isEqualTo("198.51.100.8");
	}

	@Test
	void fallsBackToTheLeftmostHopWhenEveryHopIsTrusted() {
		assertThat(this.behindProxies.resolve(request("10.1.1.1", "10.3.3.3, 10.2.2.2"))).isEqualTo("10.3.3.3");
		assertThat(this.behindProxies.resolve(request("10.1.1.1", null))).isEqualTo("10.1.1.1");
	}

	@Test
	void matchesIpv6Blocks() {
		assertThat(IpRange.parse("fd00::/8").contains("fd12:3456::1")).isTrue();
		assertThat(IpRange.parse("fd00::/8").contains("fe80::1")).isFalse();
		assertThat(IpRange.parse("10.0.0.0/8").contains("fd12::1")).isFalse();
		assertThat(IpRange.parse("192.168.1.0/25").contains("192.168.1.127")).isTrue();
		assertThat(IpRange.parse("192.168.1.0/25").contains("192.168.1.128")).isFalse();
	}

	@Test
	void acceptsOnlyLiteralAddressesSoParsingNeverAsksDns() {
		assertThatIllegalArgumentException().isThrownBy(() -> IpRange.parse("proxy.internal"));
		assertThatIllegalArgumentException().isThrownBy(() -> IpRange.parse("10.0.0.0/33"));
		assertThat(IpRange.parse("10.0.0.1").contains("not-an-address")).isFalse();
	}

	private static MockHttpServletRequest request(String remote, String forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.setRemoteAddr(remote);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		return request;
	}

}
