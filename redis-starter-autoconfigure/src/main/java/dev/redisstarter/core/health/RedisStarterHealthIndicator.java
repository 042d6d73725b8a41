package dev.redisstarter.core.health;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCircuitBreaker;
import dev.redisstarter.core.ServerCheck;

/**
 * Redis health as the starter sees it, bounded in time whatever {@code spring.data.redis.timeout} is: DOWN at
 * once while the circuit is open or the starter's connection is down, otherwise a {@code PING} that must answer
 * within the timeout. Details: the circuit's state and openings, the last failure, the {@code PING} time, and
 * the server checks (version, {@code maxmemory-policy}, problems; a problem makes it DOWN when the check is in
 * {@link ServerCheck.Mode#FAIL} mode).
 */
public class RedisStarterHealthIndicator extends AbstractHealthIndicator {

	private final RedisAccess access;

	private final @Nullable ServerCheck serverCheck;

	private final Duration timeout;

	/**
	 * An indicator.
	 * @param access the starter's access
	 * @param serverCheck the server checks, or {@code null}
	 * @param timeout how long a {@code PING} may take
	 */
	public RedisStarterHealthIndicator(RedisAccess access, @Nullable ServerCheck serverCheck, Duration timeout) {
		super("Redis health check failed");
		this.access = Objects.requireNonNull(access, "access must not be null");
		this.serverCheck = serverCheck;
		this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RedisCircuitBreaker circuit = this.access.circuit();
		builder.withDetail("circuit", circuit.state().name().toLowerCase(Locale.ROOT))
			.withDetail("circuitOpenings", circuit.openings());
		if (!circuit.lastFailure().isEmpty()) {
			builder.withDetail("lastFailure", circuit.lastFailure());
		}
		ServerCheck.Result checked = (this.serverCheck != null) ? this.serverCheck.last() : null;
		if (checked != null) {
			builder.withDetail("version", checked.version())
				.withDetail("maxmemoryPolicy", checked.maxmemoryPolicy())
				.withDetail("problems", checked.problems());
		}
		if (circuit.state() == RedisCircuitBreaker.State.OPEN) {
			builder.down();
			return;
		}
		try {
			builder.withDetail("pingMillis", this.access.ping(this.timeout).toMillis());
		}
		catch (RuntimeException ex) {
			builder.down().withDetail("error", ex.getMessage());
			return;
		}
		if (checked != null && !checked.ok() && this.serverCheck.mode() == ServerCheck.Mode.FAIL) {
			builder.down();
			return;
		}
		builder.up();
	}

}
