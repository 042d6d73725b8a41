package dev.redisstarter.test.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Timed faults, one after another: each is injected at its time, held, and healed before the next, and the
 * schedule ends healed. {@link #generate} draws a schedule from a seed, so that a failing run can be replayed
 * exactly: the same seed, duration, kinds and pacing give the same schedule.
 * <pre>{@code
 * FaultSchedule schedule = FaultSchedule.generate(FaultSchedule.seedProperty(42), FaultSchedule.durationProperty(Duration.ofSeconds(30)),
 *         EnumSet.of(FaultKind.KILL_CONSUMER, FaultKind.RESTART_REDIS), FaultSchedule.Pacing.DEFAULT);
 * System.out.println(schedule);    // the seed and every fault
 * }</pre>
 *
 * @param seed the seed it was drawn from (0 for a schedule written by hand)
 * @param duration how long the schedule runs
 * @param faults the faults, in time order, none overlapping
 */
public record FaultSchedule(long seed, Duration duration, List<ScheduledFault> faults) {

	/** The system property that replays a seed: {@code -Dredis.starter.schedule.seed=<seed>}. */
	public static final String SEED_PROPERTY = "redis.starter.schedule.seed";

	/** The system property that sets a schedule's length: {@code -Dredis.starter.schedule.duration=10m}. */
	public static final String DURATION_PROPERTY = "redis.starter.schedule.duration";

	/**
	 * Copies the faults; rejects overlapping faults and faults that heal after the end.
	 * @param seed the seed
	 * @param duration the duration
	 * @param faults the faults
	 */
	public FaultSchedule {
		faults = List.copyOf(faults);
		Duration free = Duration.ZERO;
		for (ScheduledFault fault : faults) {
			if (fault.at().compareTo(free) < 0) {
				throw new IllegalArgumentException("Fault " + fault + " starts before the previous one healed");
			}
			free = fault.healsAt();
		}
		if (free.compareTo(duration) > 0) {
			throw new IllegalArgumentException("The last fault heals at " + free + ", after the end " + duration);
		}
	}

	/**
	 * Draws a schedule: after a gap drawn from the pacing, a fault of one of the kinds, held for a time drawn
	 * from the pacing, and so on until the next fault could not heal and leave a last gap before the end.
	 * @param seed the seed
	 * @param duration how long the schedule runs
	 * @param kinds the kinds to draw from (at least one)
	 * @param pacing the gaps and fault lengths
	 * @return the schedule
	 */
	public static FaultSchedule generate(long seed, Duration duration, Set<FaultKind> kinds, Pacing pacing) {
		if (kinds.isEmpty()) {
			throw new IllegalArgumentException("kinds must not be empty");
		}
		List<FaultKind> choices = kinds.stream().sorted().toList();
		SplittableRandom random = new SplittableRandom(seed);
		List<ScheduledFault> faults = new ArrayList<>();
		long now = between(random, pacing.minGap(), pacing.maxGap());
		while (true) {
			FaultKind kind = choices.get(random.nextInt(choices.size()));
			long lasting = between(random, pacing.minFault(), pacing.maxFault());
			int target = random.nextInt(1 << 16);
			if (now + lasting + pacing.minGap().toMillis() > duration.toMillis()) {
				break;
			}
			faults.add(new ScheduledFault(Duration.ofMillis(now), kind, Duration.ofMillis(lasting), target));
			now += lasting + between(random, pacing.minGap(), pacing.maxGap());
		}
		return new FaultSchedule(seed, duration, faults);
	}

	private static long between(SplittableRandom random, Duration min, Duration max) {
		return (min.equals(max)) ? min.toMillis() : random.nextLong(min.toMillis(), max.toMillis() + 1);
	}

	/**
	 * The seed of {@code -Dredis.starter.schedule.seed} when it is set, else the given one.
	 * @param defaultSeed the seed to use without the property
	 * @return the seed
	 */
	public static long seedProperty(long defaultSeed) {
		String value = System.getProperty(SEED_PROPERTY);
		return (value == null || value.isBlank()) ? defaultSeed : Long.parseLong(value.strip());
	}

	/**
	 * A fresh random seed, unless {@code -Dredis.starter.schedule.seed} is set.
	 * @return the seed
	 */
	public static long seedPropertyOrRandom() {
		return seedProperty(new Random().nextLong());
	}

	/**
	 * The duration of {@code -Dredis.starter.schedule.duration} when it is set ({@code 90s}, {@code 10m},
	 * {@code 1h}, {@code 500ms} or ISO-8601 such as {@code PT10M}), else the given one.
	 * @param defaultDuration the duration to use without the property
	 * @return the duration
	 */
	public static Duration durationProperty(Duration defaultDuration) {
		String value = System.getProperty(DURATION_PROPERTY);
		return (value == null || value.isBlank()) ? defaultDuration : parseDuration(value.strip());
	}

	static Duration parseDuration(String text) {
		String lower = text.toLowerCase(Locale.ROOT);
		if (lower.startsWith("pt")) {
			return Duration.parse(text);
		}
		try {
			if (lower.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
			}
			long amount = Long.parseLong(lower.substring(0, lower.length() - 1));
			return switch (lower.charAt(lower.length() - 1)) {
				case 's' -> Duration.ofSeconds(amount);
				case 'm' -> Duration.ofMinutes(amount);
				case 'h' -> Duration.ofHours(amount);
				default -> throw new IllegalArgumentException();
			};
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(DURATION_PROPERTY + " must be a duration such as 90s, 10m or PT10M, was '"
					+ text + "'", ex);
		}
	}

	/**
	 * Whether a fault of this kind is scheduled.
	 * @param kind the kind
	 * @return whether the schedule has one
	 */
	public boolean has(FaultKind kind) {
		return this.faults.stream().anyMatch((fault) -> fault.kind() == kind);
	}

	/**
	 * How to run this schedule again: the system properties to pass to the test's JVM.
	 * @return {@code -Dredis.starter.schedule.seed=<seed> -Dredis.starter.schedule.duration=<duration>}
	 */
	public String replayHint() {
		return "-D" + SEED_PROPERTY + "=" + this.seed + " -D" + DURATION_PROPERTY + "=" + this.duration.toMillis() + "ms";
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("FaultSchedule seed ").append(this.seed)
			.append(", ")
			.append(this.duration.toMillis() / 1000.0)
			.append("s, ")
			.append(this.faults.size())
			.append(" faults (replay: ")
			.append(replayHint())
			.append(")");
		this.faults.forEach((fault) -> text.append("\n  ").append(fault));
		return text.toString();
	}

	/**
	 * The gaps between faults and how long faults last, each drawn evenly between its bounds.
	 *
	 * @param minGap the shortest healthy time before a fault (also kept after the last one)
	 * @param maxGap the longest healthy time before a fault
	 * @param minFault the shortest fault
	 * @param maxFault the longest fault
	 */
	public record Pacing(Duration minGap, Duration maxGap, Duration minFault, Duration maxFault) {

		/** Gaps of 2 to 5 seconds, faults of 1 to 4 seconds. */
		public static final Pacing DEFAULT = new Pacing(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1),
				Duration.ofSeconds(4));

		/**
		 * Rejects negative or inverted bounds.
		 * @param minGap the shortest gap
		 * @param maxGap the longest gap
		 * @param minFault the shortest fault
		 * @param maxFault the longest fault
		 */
		public Pacing {
			if (minGap.isNegative() || minFault.isNegative() || maxGap.compareTo(minGap) < 0
					|| maxFault.compareTo(minFault) < 0) {
				throw new IllegalArgumentException("Pacing bounds must be positive and min <= max");
			}
		}

	}

}
