package dev.redisstarter.core.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.redisstarter.core.PermissionRefusals;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisFailure;
import dev.redisstarter.core.RedisCircuitBreaker;
import dev.redisstarter.core.ServerCheck;

/**
 * Redis health as the starter sees it, bounded in time whatever {@code spring.data.redis.timeout} is: DOWN at
 * once while the circuit is open or the starter's connection is down, otherwise a {@code PING} that must answer
 * within the timeout (auto-configured: {@code redis.starter.resilience.probe-timeout}, as the circuit's probes);
 * a slow answer (more than half the timeout) is UP with {@code slow: true}. Details: the circuit's state and openings, the last failure, the {@code PING} time, and
 * the server checks (version, {@code maxmemory-policy}, problems; a problem makes it DOWN when the check is in
 * {@link ServerCheck.Mode#FAIL} mode). While the circuit is open, {@code failure} names why:
 * {@code authentication}, {@code tls} or {@code unreachable}, with {@code lastFailure} in Redis's words (never a
 * secret). While Redis refuses a command or subscription the starter needs ({@code NOPERM}), the status is DOWN
 * with {@code failure: permission} and {@code permissionRefusals}: what was refused, and Redis's words.
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
		RedisFailure failure = circuit.failure();
		if (circuit.state() == RedisCircuitBreaker.State.OPEN && failure != null) {
			builder.withDetail("failure", failure.kind().label());
		}
		List<PermissionRefusals.Refusal> refused = this.access.permissions().current();
		if (!refused.isEmpty()) {
			builder.withDetail("failure", RedisFailure.Kind.PERMISSION.label());
			Map<String, String> permissions = new LinkedHashMap<>();
			refused.forEach((refusal) -> permissions.put(refusal.what(), refusal.message()));
			builder.withDetail("permissionRefusals", permissions);
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
			Duration took = this.access.ping(this.timeout);
			builder.withDetail("pingMillis", took.toMillis());
			if (took.multipliedBy(2).compareTo(this.timeout) > 0) {
				// Answering, so UP (the capabilities whose deadlines it meets work), but near being taken for gone.
				builder.withDetail("slow", true);
			}
		}
		catch (RuntimeException ex) {
			builder.down().withDetail("error", ex.getMessage());
			return;
		}
		if (checked != null && !checked.ok() && this.serverCheck.mode() == ServerCheck.Mode.FAIL) {
			builder.down();
			return;
		}
		if (!refused.isEmpty()) {
			// Redis answers, but refuses what a capability needs: that capability fails every such call.
			builder.down();
			return;
		}
		builder.up();
	}

}
