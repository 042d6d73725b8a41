package dev.redisstarter.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.leaderboard.LeaderboardSettings;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.leaderboard.RedisLeaderboards;

/**
 * {@link Leaderboards} from {@code redis.starter.leaderboard.*}. Off with
 * {@code redis.starter.leaderboard.enabled=false}; gives way to an application's own {@link Leaderboards}.
 * Periods are cut by the application's {@link Clock} bean when it has exactly one, else the system clock.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnBooleanProperty(name = "redis.starter.leaderboard.enabled", matchIfMissing = true)
public final class LeaderboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(Leaderboards.class)
	RedisLeaderboards redisStarterLeaderboards(RedisConnectionFactory connectionFactory, KeyNaming keys,
			RedisStarterProperties properties, ObjectProvider<Clock> clock) {
		RedisStarterProperties.Leaderboard leaderboard = properties.getLeaderboard();
		LeaderboardSettings defaults = new LeaderboardSettings(leaderboard.getOrder(), leaderboard.getTieRule(),
				leaderboard.getRetention());
		Map<String, LeaderboardSettings> boards = new LinkedHashMap<>();
		leaderboard.getBoards().forEach((name, board) -> {
			LeaderboardSettings settings = defaults;
			if (board.getOrder() != null) {
				settings = settings.withOrder(board.getOrder());
			}
			if (board.getTieRule() != null) {
				settings = settings.withTieRule(board.getTieRule());
			}
			if (board.getRetention() != null) {
				settings = settings.withRetention(board.getRetention());
			}
			boards.put(name, settings);
		});
		try {
			return new RedisLeaderboards(new StringRedisTemplate(connectionFactory), keys, defaults, boards,
					leaderboard.getTimeZone(), clock.getIfUnique(Clock::systemUTC));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Invalid redis.starter.leaderboard.boards: " + ex.getMessage(), ex);
		}
	}

}
