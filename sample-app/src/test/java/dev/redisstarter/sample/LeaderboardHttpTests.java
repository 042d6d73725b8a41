package dev.redisstarter.sample;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealRedis
class LeaderboardHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void postsScoresReadsTheTopAndAMembersRankWithNeighbours() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String board = "/api/leaderboards/arcade-" + UUID.randomUUID();
		String[] members = { "ana", "ben", "cy", "dee", "eve" };
		int[] scores = { 300, 500, 400, 100, 200 };
		for (int i = 0; i < members.length; i++) {
			HttpClientSupport.Response posted = http.post(board + "/scores",
					"{\"member\":\"" + members[i] + "\",\"score\":" + scores[i] + "}");
			assertThat(posted.status()).isEqualTo(200);
			assertThat(posted.json().get("member").asString()).isEqualTo(members[i]);
		}

		JsonNode top = http.get(board + "/top?n=3").json();
		assertThat(top).hasSize(3);
		assertThat(top.get(0).get("member").asString()).isEqualTo("ben");
		assertThat(top.get(0).get("rank").asLong()).isEqualTo(1);
		assertThat(top.get(2).get("member").asString()).isEqualTo("ana");
		assertThat(top.get(2).get("score").asDouble()).isEqualTo(300);

		JsonNode eve = http.get(board + "/members/eve?radius=1").json();
		assertThat(eve.get("rank").asLong()).isEqualTo(4);
		assertThat(eve.get("neighbours")).extracting((node) -> node.get("member").asString())
			.containsExactly("ana", "eve", "dee");

		assertThat(http.get(board + "/members/nobody").status()).isEqualTo(404);
		HttpClientSupport.Response bad = http.get(board + "/top?n=0");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().get("detail").asString()).contains("n must be between");
	}

}
