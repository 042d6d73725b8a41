package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A release hands the lock straight to this instance's waiter in one script, with a new fencing token, while no
 * other instance waits; with waiters of another instance it releases to every instance instead.
 */
class LockHandOverTests {

	private final LocalRedisServer server = LocalRedisServer.builder().build();

	private LettuceConnectionFactory factory;

	private RedisAccess access;

	private RedisAccess otherAccess;

	@BeforeEach
	void start() {
		this.server.start();
		this.factory = ConnectionFactories.lettuce(this.server, Duration.ofSeconds(2));
		this.access = RedisAccess.of(this.factory);
		this.otherAccess = RedisAccess.of(this.factory);
	}

	@AfterEach
	void stop() {
		this.access.close();
		this.otherAccess.close();
		this.factory.destroy();
		this.server.close();
	}

	private RedisDistributedLock instance(RedisAccess access) {
		return new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofSeconds(1)), new KeyNaming(""),
				LockSettings.DEFAULTS, new LockMetrics(new SimpleMeterRegistry()));
	}

	@Test
	void aReleaseHandsTheLockToThisInstancesWaiterInOneScriptWithANewToken() throws Exception {
		try (RedisDistributedLock lock = instance(this.access)) {
			LockLease held = lock.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
			CompletableFuture<LockLease> next = CompletableFuture
				.supplyAsync(() -> lock.tryAcquire("job", Duration.ofSeconds(10), Duration.ofSeconds(30)).orElseThrow());
			await().atMost(Duration.ofSeconds(5)).until(() -> lock.waiterOffered("job"));
			long publishes = calls("publish");

			assertThat(held.release()).isTrue();
			LockLease taken = next.get(5, TimeUnit.SECONDS);

			assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());
			assertThat(((RedisLockLease) taken).stillOwned()).as("the waiter owns it in Redis").isTrue();
			assertThat(calls("publish")).as("handed over: no notice").isEqualTo(publishes);
			assertThat(this.server.command("EXISTS", "lock:{job}:waiters")).as("the waiter is no longer counted")
				.isEqualTo(0L);
			assertThat(this.server.command("PTTL", "lock:{job}")).asString().satisfies((ttl) -> assertThat(Long.parseLong(ttl))
				.as("the waiter's own lease").isGreaterThan(Duration.ofSeconds(25).toMillis()));
			assertThat(taken.release()).isTrue();
			assertThat(this.server.command("EXISTS", "lock:{job}")).isEqualTo(0L);
		}
	}

	@Test
	void withAWaiterOfAnotherInstanceTheReleaseGoesToEveryInstance() throws Exception {
		try (RedisDistributedLock lock = instance(this.access); RedisDistributedLock other = instance(this.otherAccess)) {
			LockLease held = lock.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
			CompletableFuture<LockLease> here = CompletableFuture
				.supplyAsync(() -> lock.tryAcquire("job", Duration.ofSeconds(10), Duration.ofSeconds(1)).orElseThrow());
			CompletableFuture<LockLease> there = CompletableFuture
				.supplyAsync(() -> other.tryAcquire("job", Duration.ofSeconds(10), Duration.ofSeconds(1)).orElseThrow());
			await().atMost(Duration.ofSeconds(5)).until(() -> lock.waiterOffered("job")
					&& "2".equals(String.valueOf(this.server.command("GET", "lock:{job}:waiters"))));
			long publishes = calls("publish");

			assertThat(held.release()).isTrue();

			assertThat(calls("publish")).as("released to every instance: a notice").isGreaterThan(publishes);
			// Each gets it in turn: the first winner's one-second lease ends at the latest, then the other's turn.
			LockLease first = CompletableFuture.anyOf(here, there).thenApply(LockLease.class::cast).get(5, TimeUnit.SECONDS);
			first.release();
			assertThat(here.get(5, TimeUnit.SECONDS)).isNotNull();
			assertThat(there.get(5, TimeUnit.SECONDS)).isNotNull();
		}
	}

	@Test
	void aReleaseByAnInterruptedThreadStillHandsTheLockOver() throws Exception {
		try (RedisDistributedLock lock = instance(this.access)) {
			LockLease held = lock.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
			CompletableFuture<LockLease> next = CompletableFuture
				.supplyAsync(() -> lock.tryAcquire("job", Duration.ofSeconds(10), Duration.ofSeconds(30)).orElseThrow());
			await().atMost(Duration.ofSeconds(5)).until(() -> lock.waiterOffered("job"));

			// A holder whose work was cancelled (Future.cancel(true)) closes its lease with its interrupt flag set.
			Thread.currentThread().interrupt();
			boolean released;
			try {
				released = held.release();
				assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
			}
			finally {
				Thread.interrupted();
			}

			assertThat(released).isTrue();
			LockLease taken = next.get(5, TimeUnit.SECONDS);
			assertThat(((RedisLockLease) taken).stillOwned()).as("the waiter owns it in Redis").isTrue();
			assertThat(taken.release()).isTrue();
		}
	}

	@Test
	void aReleaseByAnInterruptedThreadWithNoWaiterFreesTheLock() throws Exception {
		try (RedisDistributedLock lock = instance(this.access)) {
			LockLease held = lock.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();

			Thread.currentThread().interrupt();
			boolean released;
			try {
				released = held.release();
				assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
			}
			finally {
				Thread.interrupted();
			}

			assertThat(released).isTrue();
			assertThat(this.server.command("EXISTS", "lock:{job}")).as("free, not held for its 30 s lease").isEqualTo(0L);
		}
	}

	@Test
	void aWaiterInterruptedWhileItWaitsGivesUpAndIsNoLongerCounted() throws Exception {
		try (RedisDistributedLock lock = instance(this.access)) {
			LockLease held = lock.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
			AtomicReference<Optional<LockLease>> result = new AtomicReference<>();
			Thread waiter = new Thread(() -> result.set(lock.tryAcquire("job", Duration.ofSeconds(20))));
			waiter.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> lock.waiterOffered("job"));
			assertThat(this.server.command("GET", "lock:{job}:waiters")).asString().isEqualTo("1");

			waiter.interrupt();
			waiter.join(5000);

			assertThat(result.get()).isEmpty();
			assertThat(this.server.command("EXISTS", "lock:{job}:waiters"))
				.as("not counted for the rest of its 20 s wait (releases would publish, hand-offs go to every instance)")
				.isEqualTo(0L);
			assertThat(held.release()).isTrue();
		}
	}

	@Test
	void aWaiterWhoseTurnComesWhileAThreadHereHoldsTheLockIsHandedItWithoutATryOfItsOwn() throws Exception {
		try (RedisDistributedLock lock = new RedisDistributedLock(this.access.calls(Feature.LOCK, Duration.ofSeconds(1)),
				new KeyNaming(""), LockSettings.DEFAULTS.withPollInterval(Duration.ofSeconds(30)),
				new LockMetrics(new SimpleMeterRegistry()))) {
			LockLease held = lock.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
			long scripts = calls("evalsha");
			CompletableFuture<LockLease> next = CompletableFuture
				.supplyAsync(() -> lock.tryAcquire("job", Duration.ofSeconds(10), Duration.ofSeconds(30)).orElseThrow());
			await().atMost(Duration.ofSeconds(5)).until(() -> lock.waitingHere("job"));
			Thread.sleep(300);
			assertThat(calls("evalsha")).as("no try of its own while a thread here holds the lock").isEqualTo(scripts);
			assertThat(this.server.command("EXISTS", "lock:{job}:waiters")).as("so not counted in Redis").isEqualTo(0L);
			long publishes = calls("publish");

			assertThat(held.release()).isTrue();
			LockLease taken = next.get(5, TimeUnit.SECONDS);

			assertThat(calls("evalsha")).as("one script: the hand-off").isEqualTo(scripts + 1);
			assertThat(calls("publish")).as("no notice").isEqualTo(publishes);
			assertThat(taken.fencingToken()).isGreaterThan(held.fencingToken());
			assertThat(((RedisLockLease) taken).stillOwned()).isTrue();
			assertThat(taken.release()).isTrue();
		}
	}

	@Test
	void aFailedTryWithoutWaitingLeavesTheWaiterCountOfOtherWaitersAlone() throws Exception {
		try (RedisDistributedLock lock = instance(this.access); RedisDistributedLock other = instance(this.otherAccess)) {
			LockLease held = lock.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
			CompletableFuture<Optional<LockLease>> there = CompletableFuture
				.supplyAsync(() -> other.tryAcquire("job", Duration.ofSeconds(10), Duration.ofSeconds(1)));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> "1".equals(String.valueOf(this.server.command("GET", "lock:{job}:waiters"))));

			assertThat(other.tryAcquire("job", Duration.ZERO)).isEmpty();

			assertThat(this.server.command("GET", "lock:{job}:waiters"))
				.as("the other instance's waiter is still counted (a release notifies it)").isEqualTo("1");
			assertThat(held.release()).isTrue();
			assertThat(there.get(5, TimeUnit.SECONDS)).isPresent();
		}
	}

	@Test
	void handoffHandsTheLockToAnUncountedWaiterOnlyWhileNoWaiterIsCountedAndItsOwnLateTryDoesNotCountIt() {
		LockScripts scripts = LockScripts.load();
		String[] keys = { "lock:{job}", "lock:{job}:fence", "lock:{job}:waiters" };
		this.server.command("SET", keys[0], "holder");

		Object handedOver = handOff(scripts, keys, "holder", "first");
		assertThat(handedOver).as("nobody counted: handed to the uncounted waiter").asList().first().isEqualTo(1L);
		assertThat(this.server.command("GET", keys[0])).isEqualTo("first");
		// The waiter's own try, sent before the hand-off's reply came, finds the lock its own and counts nothing; it
		// answers the hand-off's token.
		assertThat(this.server.command("EVAL", scripts.acquire().text(), "3", keys[0], keys[1], keys[2], "first",
				"30000", "86400000", "0", "11000")).asList().containsExactly(2L, ((java.util.List<?>) handedOver).get(1));
		assertThat(this.server.command("EXISTS", keys[2])).isEqualTo(0L);

		// Another instance's waiter is counted: an uncounted waiter here is not handed the lock.
		this.server.command("INCR", keys[2]);
		assertThat(handOff(scripts, keys, "first", "second")).as("released to every instance, with the notice")
			.asList().containsExactly(4L);
		assertThat(this.server.command("EXISTS", keys[0])).isEqualTo(0L);
		assertThat(this.server.command("GET", keys[2])).as("the other instance's waiter is still counted").isEqualTo("1");
	}

	private Object handOff(LockScripts scripts, String[] keys, String owner, String waiter) {
		return this.server.command("EVAL", scripts.handoff().text(), "3", keys[0], keys[1], keys[2], owner, waiter,
				"30000", "86400000", "lock:released", "job", "0");
	}

	private long calls(String command) {
		Object stats = this.server.command("INFO", "commandstats");
		for (String line : String.valueOf(stats).split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":")) {
				return Long.parseLong(line.replaceFirst("^cmdstat_[^:]+:calls=(\\d+),.*$", "$1"));
			}
		}
		return 0;
	}

}
