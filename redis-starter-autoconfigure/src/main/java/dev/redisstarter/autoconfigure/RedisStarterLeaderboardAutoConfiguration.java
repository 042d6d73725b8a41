package dev.redisstarter.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.leaderboard.LeaderboardSettings;
import dev.redisstarter.leaderboard.Leaderboards;
import dev.redisstarter.leaderboard.RedisLeaderboards;
import dev.redisstarter.leaderboard.web.LeaderboardExceptionHandler;

/**
 * {@link Leaderboards} from {@code redis.starter.leaderboard.*}. Off with
 * {@code redis.starter.leaderboard.enabled=false}; gives way to an application's own {@link Leaderboards}.
 * Periods are cut by the application's {@link Clock} bean when it has exactly one, else the system clock.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnEnabled("redis.starter.leaderboard.enabled")
public final class RedisStarterLeaderboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(Leaderboards.class)
	RedisLeaderboards redisStarterLeaderboards(RedisAccess access, KeyNaming keys,
			RedisStarterProperties properties, ObjectProvider<Clock> clock) {
		RedisStarterProperties.Leaderboard leaderboard = properties.getLeaderboard();
		LeaderboardSettings defaults = new LeaderboardSettings(leaderboard.getOrder(), leaderboard.getTieRule(),
				leaderboard.getRetention(), leaderboard.getMaxMemberLength());
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
			return new RedisLeaderboards(access.calls(Feature.LEADERBOARD, leaderboard.getTimeout()), keys, defaults, boards,
					leaderboard.getTimeZone(), clock.getIfUnique(Clock::systemUTC));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException("redis.starter.leaderboard.boards", ex.getMessage());
		}
	}

	/**
	 * In a servlet web application, 503 answers when a leaderboard cannot reach Redis.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, RestControllerAdvice.class })
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LeaderboardExceptionHandler redisStarterLeaderboardExceptionHandler() {
			return new LeaderboardExceptionHandler();
		}

	}

}
