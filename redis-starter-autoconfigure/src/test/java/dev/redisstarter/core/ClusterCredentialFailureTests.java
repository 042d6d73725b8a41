package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * On a Cluster, Lettuce reports each node's refusal as suppressed by "cannot retrieve cluster partitions": the
 * classifier reads them, so refused credentials are named on a Cluster as on a single server, not taken for an
 * unreachable Redis.
 */
class ClusterCredentialFailureTests {

	@Test
	void refusedCredentialsOnAClusterAreAnAuthenticationFailure() {
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

}
