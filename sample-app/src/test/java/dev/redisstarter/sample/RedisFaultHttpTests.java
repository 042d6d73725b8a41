package dev.redisstarter.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample over HTTP with its Redis frozen, then stopped, then black-holed: 200 concurrent requests across the endpoints all get
 * an answer within a second each (1.5 s black-holed; served by the loader, let through by the failing-open limiter, or a problem
 * response), and every endpoint works again once Redis is back, without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisFaultHttpTests {

	private static final LocalRedisServer server = LocalRedisServer.builder().build().start();

	/** Between the sample and its Redis, so that a test can black-hole the connections. */
	private static final FaultProxy proxy = FaultProxy.inFrontOf(server);

	private static final Duration EACH_ANSWER_WITHIN = Duration.ofSeconds(1);

	/**
	 * Behind a black hole nothing fails fast: the first requests each wait out their capability's whole deadline
	 * (up to 600 ms) before the circuit opens, and on two cores 200 of them queue behind each other (seen: 1.08 s).
	 */
	private static final Duration EACH_ANSWER_WITHIN_BLACK_HOLE = Duration.ofMillis(1500);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", proxy::url);
	}

	@AfterAll
	static void stopServer() {
		proxy.close();
		server.close();
	}

	@Test
	@Order(1)
	void twoHundredConcurrentRequestsAreAnsweredWithinASecondEachWhileRedisIsFrozen() throws Exception {
		answeredInTimeDuring(server::freeze, server::thaw, EACH_ANSWER_WITHIN);
	}

	@Test
	@Order(2)
	void twoHundredConcurrentRequestsAreAnsweredWithinASecondEachWhileRedisIsStopped() throws Exception {
		answeredInTimeDuring(server::stop, server::start, EACH_ANSWER_WITHIN);
	}

	@Test
	@Order(3)
	void twoHundredConcurrentRequestsAreAnsweredWithinASecondEachWhileRedisIsBlackHoled() throws Exception {
		answeredInTimeDuring(() -> proxy.set(Fault.BLACK_HOLE), () -> {
			// Replies the black hole swallowed leave a connection out of step: reset, then let new ones through.
			proxy.set(Fault.RESET);
			proxy.pass();
		}, EACH_ANSWER_WITHIN_BLACK_HOLE);
	}

	/** Every endpoint works, Redis fails, 200 requests are each answered in time, health is DOWN, Redis heals. */
	private void answeredInTimeDuring(Runnable fault, Runnable heal, Duration within) throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		awaitEverythingWorks(http);
		String sessionId = createSession(http);
		fault.run();
		try {
			assertAllAnsweredInTime(fire(http, 200, sessionId), within);
			assertThat(http.get("/actuator/health").status()).isEqualTo(503);
		}
		finally {
			heal.run();
		}
		awaitEverythingWorks(http);
	}

	private static void assertAllAnsweredInTime(List<Answer> answers, Duration within) {
		assertThat(answers).hasSize(200);
		assertThat(answers).allSatisfy((answer) -> {
			assertThat(answer.took()).as(answer.request() + " answered " + answer.status()).isLessThan(within);
			assertThat(answer.status()).as(answer.request()).isIn(answer.expected());
		});
	}

	/** One request per endpoint in turn, all at once. */
	private static String createSession(HttpClientSupport http) throws Exception {
		return http.post("/api/sessions", "{\"userId\": \"ada\", \"data\": {}}").json().get("id").asString();
	}

	private static List<Answer> fire(HttpClientSupport http, int count, String sessionId) throws Exception {
		List<Callable<Answer>> requests = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int n = i;
			requests.add(switch (i % 7) {
				// Served from the loader: a product read never fails because Redis does.
				case 0 -> () -> timed("GET product", List.of(200), () -> http.get("/api/products/" + (1 + n % 5)));
				// The limiter fails open.
				case 1 -> () -> timed("GET limited", List.of(200), () -> http.get("/api/limited"));
				// The lock is unavailable: 503 with Retry-After.
				case 2 -> () -> timed("POST reserve", List.of(503), () -> http.post("/api/inventory/sku-1/reserve", ""));
				case 3 -> () -> timed("POST score", List.of(503),
						() -> http.post("/api/leaderboards/g/scores", "{\"member\": \"ada\", \"score\": 3}"));
				case 4 -> () -> timed("GET session", List.of(503), () -> http.get("/api/sessions/" + sessionId));
				// The application's own command, through the starter's RedisCalls bean.
				case 5 -> () -> timed("GET stock", List.of(503), () -> http.get("/api/inventory/sku-1"));
				default -> () -> timed("GET health", List.of(503), () -> http.get("/actuator/health"));
			});
		}
		ExecutorService pool = Executors.newFixedThreadPool(count);
		try {
			List<Answer> answers = new ArrayList<>();
			for (Future<Answer> answer : pool.invokeAll(requests)) {
				answers.add(answer.get(1, TimeUnit.MINUTES));
			}
			return answers;
		}
		finally {
			pool.shutdown();
		}
	}

	private static Answer timed(String request, List<Integer> expected, HttpCall call) throws Exception {
		long start = System.nanoTime();
		HttpClientSupport.Response response = call.send();
		return new Answer(request, response.status(), expected, Duration.ofNanos(System.nanoTime() - start));
	}

	/** Waits until every endpoint answers as with a healthy Redis. */
	static void awaitEverythingWorks(HttpClientSupport http) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (true) {
			List<String> failing = new ArrayList<>();
			expect(failing, "health", http.get("/actuator/health"), 200);
			expect(failing, "stock", http.put("/api/inventory/sku-1", "{\"stock\": 1000000}"), 200);
			expect(failing, "read stock", http.get("/api/inventory/sku-1"), 200);
			expect(failing, "reserve", http.post("/api/inventory/sku-1/reserve", ""), 200);
			expect(failing, "score", http.post("/api/leaderboards/g/scores", "{\"member\": \"ada\", \"score\": 3}"), 200);
			expect(failing, "session", http.post("/api/sessions", "{\"userId\": \"ada\", \"data\": {}}"), 201);
			expect(failing, "product", http.get("/api/products/1"), 200);
			if (failing.isEmpty()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("The sample did not work again within 15 s of Redis coming back: " + failing);
			}
			LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
		}
	}

	private static void expect(List<String> failing, String what, HttpClientSupport.Response response, int status) {
		if (response.status() != status) {
			failing.add(what + " answered " + response.status() + " " + response.body());
		}
	}

	@FunctionalInterface
	interface HttpCall {

		HttpClientSupport.Response send() throws Exception;

	}

	record Answer(String request, int status, List<Integer> expected, Duration took) {
	}

}
