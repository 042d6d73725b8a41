package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * On a Cluster, Lettuce reports each node's failure below its own first line ("Cannot retrieve cluster partitions
 * from ...", the nodes' errors in the message's details and as suppressed exceptions): the classifier names the
 * failure with Redis's words, and finds a failed TLS handshake among the suppressed exceptions.
 */
class ClusterCredentialFailureTests {

	@Test
	void refusedCredentialsOnAClusterAreAnAuthenticationFailureInRedisWords() {
		RedisCluster cluster = SharedRedis.cluster();
		List<RedisURI> seeds = cluster.masters()
			.stream()
			.map(LocalRedisServer::port)
			.map((port) -> RedisURI.builder()
				.withHost("127.0.0.1")
				.withPort(port)
				.withAuthentication("nobody", "not-the-password")
				.withTimeout(Duration.ofSeconds(5))
				.build())
			.toList();
		RedisClusterClient client = RedisClusterClient.create(seeds);
		try {
			Throwable failure = catchThrowable(() -> client.connect().close());
			assertThat(failure).isNotNull();
			RedisFailure classified = RedisFailure.of(failure);
			assertThat(classified.kind()).as("classified %s", failure).isEqualTo(RedisFailure.Kind.AUTHENTICATION);
			assertThat(classified.message()).startsWith("WRONGPASS").doesNotContain("not-the-password");
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	@Test
	void aFailedHandshakeReportedAsSuppressedByTheClusterClientIsATlsFailure() {
		// The shape RedisClusterClient throws (DefaultClusterTopologyRefresh adds each node's failure as suppressed).
		RedisException partitions = new RedisException("Cannot retrieve cluster partitions from [rediss://127.0.0.1:7000]");
		partitions.addSuppressed(new RedisConnectionException("Unable to connect to [127.0.0.1:7000]",
				new SSLHandshakeException("PKIX path building failed")));
		RedisFailure classified = RedisFailure.of(new RedisConnectionException(
				"Cannot retrieve initial cluster partitions from initial URIs [rediss://127.0.0.1:7000]", partitions));
		assertThat(classified.kind()).isEqualTo(RedisFailure.Kind.TLS);
		assertThat(classified.message()).contains("PKIX path building failed");
	}

}
