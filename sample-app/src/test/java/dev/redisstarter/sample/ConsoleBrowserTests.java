package dev.redisstarter.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import dev.redisstarter.messaging.queue.JobQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The operations console in a real browser (headless Chromium through chromedriver, both from the PATH: Debian's
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs), on the sample with its own
 * {@code application.yml} (console on, writes enabled) and a private Redis: the emails queue's dead job, retried
 * from its button; no write buttons on an instance with writes disabled; the orders stream's dead letter replayed;
 * a {@code <script>} payload shown as text; the circuit open within seconds of Redis stopping and closed after it
 * returns. A screenshot of each page goes to {@code target/console-screenshots/}. Tagged {@code browser}: a
 * developer without Chromium excludes them with {@code -DexcludedGroups=browser}; without it they fail, saying so.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=sample-console-browser", "redis.starter.resilience.liveness-interval=1s" })
@DirtiesContext
class ConsoleBrowserTests extends RedisDownHttpTestSupport {

	private static final Duration WITHIN = Duration.ofSeconds(10);

	private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	/** Markup that would set {@code window.consolePwned} if the page ever rendered it as HTML. */
	private static final String SCRIPT = "<script>window.consolePwned = 1</script><img src=x onerror=\"window.consolePwned = 2\">";

	private static WebDriver browser;

	@Autowired
	private JobQueue jobs;

	@BeforeAll
	static void startBrowser() throws IOException {
		Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
		Optional<Path> driver = onPath("chromedriver");
		if (chromium.isEmpty() || driver.isEmpty()) {
			fail("The console's browser tests need Chromium and chromedriver on the PATH (Debian: apt-get install"
					+ " chromium chromium-driver; .ci/run installs them). Found chromium: " + chromium.isPresent()
					+ ", chromedriver: " + driver.isPresent() + ". To leave these tests out: -DexcludedGroups=browser");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.get().toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1400,1300");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		Files.createDirectories(SCREENSHOTS);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	@Order(1)
	void theOverviewShowsTheCircuitClosedAndTheServer() {
		open(this.port, "overview");
		waitForText(By.id("circuit-state"), "closed");
		WebElement node = waitFor(By.cssSelector("#page-overview .node"));
		assertThat(node.getText()).contains("maxmemory-policy", "ops/s", "keyspace hits", "memory used");
		waitForText(By.cssSelector("#health [data-component='redis']"), "UP");
		waitForText(By.cssSelector("#health [data-component='jobqueues']"), "UP");
		screenshot("overview");
	}

	@Test
	@Order(2)
	void theEmailsQueueShowsTheDeadJobWithItsScriptPayloadAsTextAndRetriesIt() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		String jobId = http.post("/api/emails", json("fail@example.com", SCRIPT)).json().get("jobId").asString();
		await().atMost(WITHIN).until(() -> state(http, jobId).equals("dead"));

		open(this.port, "queues");
		By row = By.cssSelector("section.queue[data-queue='emails'] tr.job[data-job-id='" + jobId + "']");
		WebElement payload = waitFor(row).findElement(By.cssSelector("td.payload"));
		assertThat(payload.getText()).contains("<script>window.consolePwned = 1</script>", "onerror");
		assertThat(browser.findElements(By.cssSelector("main script, main img"))).as("no markup from the payload").isEmpty();
		assertThat(((JavascriptExecutor) browser).executeScript("return window.consolePwned === undefined")).isEqualTo(true);
		assertThat(browser.findElement(By.cssSelector("section.queue[data-queue='emails'] td.count-dead")).getText())
			.isNotEqualTo("0");

		click(By.cssSelector("section.queue[data-queue='emails'] button.retry[data-job-id='" + jobId + "']"));
		waitForText(By.id("message"), "Job " + jobId + " sent back to waiting");
		// Retried: three more attempts fail, the job is dead once more with every attempt in its history.
		await().atMost(WITHIN).until(() -> this.jobs.job("emails", jobId).orElseThrow().history().size() == 6
				&& state(http, jobId).equals("dead"));
		// The page's sparkline of completed and dead jobs per poll, drawn after two polls.
		waitFor(By.cssSelector("section.queue[data-queue='emails'] svg.sparkline polyline"));
		waitFor(row);
		screenshot("queues");
	}

	@Test
	@Order(3)
	void anInstanceWithWritesDisabledShowsNoWriteButtons() {
		List<JsonNode> dead = deadEmails();
		assertThat(dead).isNotEmpty();
		try (SampleInstance readOnly = SampleInstance.start(server, "spring.application.name=sample-console-browser",
				"redis.starter.console.write-enabled=false")) {
			open(readOnly.port(), "queues");
			waitForText(By.id("write-mode"), "read-only");
			waitFor(By.cssSelector("section.queue[data-queue='emails'] tr.job[data-job-id='"
					+ dead.get(0).get("id").asString() + "']"));
			assertThat(browser.findElements(By.cssSelector("button.retry, button.delete, button.pause, button.replay")))
				.isEmpty();
			screenshot("queues-read-only");
		}
	}

	@Test
	@Order(4)
	void theOrdersStreamShowsItsDeadLetterAndReplaysIt() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		assertThat(http.post("/api/orders", "{\"item\": \"poison\", \"quantity\": 1}").status()).isEqualTo(202);
		await().atMost(WITHIN).until(() -> http.get("/api/orders/dead-letters").json().size() == 1);
		String id = http.get("/api/orders/dead-letters").json().get(0).get("id").asString();

		open(this.port, "streams");
		WebElement letter = waitFor(By.cssSelector("section.stream[data-stream='orders'] tr.dead-letter[data-id='" + id + "']"));
		assertThat(letter.getText()).contains("poison");
		assertThat(browser.findElement(By.cssSelector("section.stream[data-stream='orders'] table.groups")).getText())
			.contains("fulfilment");
		screenshot("streams");

		click(By.cssSelector("section.stream[data-stream='orders'] button.replay[data-id='" + id + "']"));
		waitForText(By.id("message"), "Dead letter " + id + " replayed");
		// Replayed: the poison order fails again and comes back as a new dead letter.
		await().atMost(WITHIN).until(() -> {
			JsonNode letters = http.get("/api/orders/dead-letters").json();
			return letters.size() == 1 && !letters.get(0).get("id").asString().equals(id);
		});
	}

	@Test
	@Order(5)
	void theMetersAndServerPagesShowCachesAndTheSampledKeys() throws Exception {
		HttpClientSupport http = new HttpClientSupport(this.port);
		http.get("/api/products/1");
		http.get("/api/products/1");
		open(this.port, "meters");
		waitForText(By.cssSelector("#page-meters"), "products");
		screenshot("meters");

		open(this.port, "server");
		waitForText(By.id("sample-bounds"), "at most 1,000 keys or 250 ms per node");
		WebElement summary = waitFor(By.cssSelector("#page-server .sample-summary"));
		assertThat(summary.getText()).contains("keys sampled", "stopped by");
		screenshot("server");
	}

	@Test
	@Order(6)
	void theCircuitShowsOpenWithinSecondsOfRedisStoppingAndClosedAfterItReturns() {
		open(this.port, "overview");
		waitForText(By.id("circuit-state"), "closed");
		server.stop();
		try {
			new WebDriverWait(browser, Duration.ofSeconds(10)).until((driver) ->
					driver.findElement(By.id("circuit-state")).getText().equals("open"));
			screenshot("overview-redis-down");
		}
		finally {
			server.start();
		}
		new WebDriverWait(browser, Duration.ofSeconds(20)).until((driver) ->
				driver.findElement(By.id("circuit-state")).getText().equals("closed"));
	}

	private static void open(int port, String tab) {
		browser.get("http://localhost:" + port + "/redis-starter/#" + tab);
		browser.navigate().refresh(); // a change of the hash alone does not reload the page
	}

	private static WebElement waitFor(By by) {
		return new WebDriverWait(browser, WITHIN).ignoring(StaleElementReferenceException.class)
			.until((driver) -> driver.findElement(by));
	}

	private static void waitForText(By by, String text) {
		new WebDriverWait(browser, WITHIN).ignoring(StaleElementReferenceException.class)
			.withMessage(() -> by + " to show '" + text + "'")
			.until((driver) -> driver.findElement(by).getText().contains(text));
	}

	/** Clicks, again when a poll re-rendered the element in between. */
	private static void click(By by) {
		new WebDriverWait(browser, WITHIN).ignoring(StaleElementReferenceException.class).until((driver) -> {
			driver.findElement(by).click();
			return true;
		});
	}

	private static void screenshot(String name) {
		File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		try {
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not keep the screenshot " + name, ex);
		}
	}

	private List<JsonNode> deadEmails() {
		try {
			List<JsonNode> dead = new java.util.ArrayList<>();
			new HttpClientSupport(this.port).get("/actuator/jobqueues/emails").json().get("deadLetters").forEach(dead::add);
			return dead;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String state(HttpClientSupport http, String jobId) throws Exception {
		return http.get("/api/emails/" + jobId).json().get("state").asString();
	}

	private static String json(String to, String subject) {
		return "{\"to\": \"" + to + "\", \"subject\": \"" + subject.replace("\"", "\\\"") + "\"}";
	}

	private static Optional<Path> onPath(String... names) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			for (String name : names) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		return Optional.empty();
	}

}
