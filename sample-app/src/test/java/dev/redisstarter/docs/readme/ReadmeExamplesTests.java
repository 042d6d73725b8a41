package dev.redisstarter.docs.readme;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.test.RealRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The README's examples, as a newcomer would paste them, do what the README says against a real Redis. */
@SpringBootTest(classes = ReadmeExamplesTests.Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.config.name=readme-examples", "spring.application.name=readme-examples" })
@RealRedis
class ReadmeExamplesTests {

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void theCatalogueCachesAReadAndItsTagEvictsIt(@Autowired ProductCatalogue catalogue) {
		assertThat(catalogue.find(1).name()).isEqualTo("Lamp");
		assertThat(this.redis.hasKey("readme-examples:cache:products:1")).isTrue();
		catalogue.rename(1, "Desk lamp");
		assertThat(catalogue.find(1).name()).isEqualTo("Desk lamp");
	}

	@Test
	void theSixthLoginLinkWithinAMinuteIsRefused(@Autowired ExportLimits limits) {
		assertThat(limits.mayExport("tenant-1")).isTrue();
		for (int i = 0; i < 5; i++) {
			assertThat(limits.sendLoginLink("ann@example.com")).isEqualTo("sent to ann@example.com");
		}
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> limits.sendLoginLink("ann@example.com"));
	}

	@Test
	void theReportRunsOnlyWhereTheLockIsFree(@Autowired NightlyReport report, @Autowired DistributedLock locks)
			throws Exception {
		// Another thread stands in for another instance (a thread that holds the lock would re-enter it).
		ExecutorService elsewhere = Executors.newSingleThreadExecutor();
		try {
			LockLease held = elsewhere.submit(() -> locks.tryAcquire("nightly-report", Duration.ZERO).orElseThrow()).get();
			assertThat(report.runOnce()).isFalse();
			elsewhere.submit(held::close).get();
			assertThat(report.runOnce()).isTrue();
		}
		finally {
			elsewhere.shutdownNow();
		}
		report.settle("invoice-7");
	}

	@Test
	void aSessionKeepsItsThemeUntilTheUserLogsOutEverywhere(@Autowired Logins logins) {
		String token = logins.login("user-1");
		assertThat(logins.theme(token)).isEqualTo(Optional.of("dark"));
		assertThat(logins.logoutEverywhere("user-1")).isEqualTo(1);
		assertThat(logins.theme(token)).isEmpty();
	}

	@Test
	void thePodiumIsOrderedByScore(@Autowired Scores scores) {
		scores.finished("ann", 10);
		scores.finished("bob", 30);
		scores.finished("ann", 5);
		assertThat(scores.podium()).extracting((entry) -> entry.member()).containsExactly("bob", "ann");
		assertThat(scores.podium().get(1).score()).isEqualTo(15.0);
	}

	@Test
	void aPublishedPriceReachesTheListener(@Autowired PriceEvents prices) {
		// Published again until the listener's subscription is up: pub/sub keeps nothing for late subscribers.
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			prices.change("lamp", 1299);
			assertThat(prices.received).contains(new PriceEvents.PriceChanged("lamp", 1299));
		});
	}

	@Test
	void aPlacedOrderIsFulfilled(@Autowired Checkout checkout) {
		Checkout.Order order = new Checkout.Order("lamp", 2);
		assertThat(checkout.place(order)).isNotNull();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(checkout.fulfilled).contains(order));
	}

	@Test
	void aWelcomeMailIsSentAndAReminderWaits(@Autowired Mailer mailer) {
		assertThat(mailer.welcome("ann@example.com")).isNotBlank();
		assertThat(mailer.remind("ann@example.com")).isNotBlank();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(mailer.sent).contains(new Mailer.Email("ann@example.com", "Welcome")));
		assertThat(mailer.sent).doesNotContain(new Mailer.Email("ann@example.com", "Still there?"));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ ProductCatalogue.class, ExportLimits.class, NightlyReport.class, Logins.class, Scores.class,
			PriceEvents.class, Checkout.class, Mailer.class })
	static class Application {

	}

}
