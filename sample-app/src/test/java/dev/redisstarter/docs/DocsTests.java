package dev.redisstarter.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and {@code docs/} agree with the compiled snippet sources and the configuration metadata, and their
 * links resolve. With {@code -Ddocs.write=true} the pages are rewritten from their sources first.
 */
class DocsTests {

	private static final String METADATA = """
			{"properties": [
			  {"name": "redis.starter.cache.default-ttl", "type": "java.time.Duration", "defaultValue": "10m",
			   "description": "Time to live when the code asks for none."},
			  {"name": "redis.starter.enabled", "type": "java.lang.Boolean", "defaultValue": true,
			   "description": "Whether the starter is enabled."}
			]}""";

	@Test
	void theRepositoryPagesAgreeWithTheirSourcesAndEveryLinkResolves() {
		DocsSync docs = DocsSync.ofWorkingDirectory();
		List<String> problems = Boolean.getBoolean("docs.write") ? docs.write() : docs.check();
		assertThat(problems).isEmpty();
	}

	@Test
	void aSnippetThatNoLongerMatchesItsSourceIsReportedAndRewritten(@TempDir Path root) throws IOException {
		write(root, "src/Example.java", "class Example {\n\t// tag::hello[]\n\tvoid hello() {\n\t}\n\t// end::hello[]\n}\n");
		write(root, "README.md", "# Title\n\n<!-- snippet: src/Example.java#hello -->\n```java\nvoid hi() {\n}\n```\n");
		Files.createDirectories(root.resolve("docs"));
		DocsSync docs = new DocsSync(root, metadata());

		assertThat(docs.check()).singleElement().asString().contains("README.md: differs from its sources (snippets, property, meter or observation tables) from line 5");
		assertThat(docs.write()).isEmpty();
		assertThat(Files.readString(root.resolve("README.md"))).contains("```java\nvoid hello() {\n}\n```");
		assertThat(docs.check()).isEmpty();
	}

	@Test
	void aJavaBlockWithoutASourceOrWithAMissingRegionIsReported(@TempDir Path root) throws IOException {
		write(root, "src/Example.java", "class Example {\n}\n");
		write(root, "README.md", "# Title\n\n```java\nint x;\n```\n\n<!-- snippet: src/Example.java#gone -->\n```java\nint y;\n```\n");
		Files.createDirectories(root.resolve("docs"));

		assertThat(new DocsSync(root, metadata()).check()).anySatisfy((problem) -> assertThat(problem)
			.contains("README.md:3: a Java snippet without a source"))
			.anySatisfy((problem) -> assertThat(problem).contains("no region 'gone' in src/Example.java"));
	}

	@Test
	void aPropertyTableThatDiffersFromTheMetadataIsReported(@TempDir Path root) throws IOException {
		write(root, "README.md", "# Title\n");
		write(root, "docs/configuration.md", "# Configuration\n<!-- properties:begin -->\n| `redis.starter.gone` |\n<!-- properties:end -->\n");
		DocsSync docs = new DocsSync(root, metadata());

		assertThat(docs.check()).singleElement().asString().contains("docs/configuration.md: differs");
		docs.write();
		assertThat(Files.readString(root.resolve("docs/configuration.md")))
			.contains("### redis.starter\n")
			.contains("| `redis.starter.enabled` | Boolean | `true` | Whether the starter is enabled. |")
			.contains("| `redis.starter.cache.default-ttl` | Duration | `10m` | Time to live when the code asks for none. |")
			.doesNotContain("redis.starter.gone");
	}

	@Test
	void markersNamedInProseAreLeftAlone(@TempDir Path root) throws IOException {
		String prose = "# Title\n\nTables sit between `<!-- properties:begin -->` and `<!-- properties:end -->`;\n"
				+ "a snippet follows `<!-- snippet: src/Example.java#hello -->` on a line of its own.\n";
		write(root, "README.md", prose);
		Files.createDirectories(root.resolve("docs"));

		assertThat(new DocsSync(root, metadata()).check()).isEmpty();
	}

	@Test
	void aLinkToAMissingPageOrAnchorIsReported(@TempDir Path root) throws IOException {
		write(root, "README.md", "# Title\n\nSee [locks](docs/locks.md#fencing-tokens), [gone](docs/gone.md), "
				+ "[here](#title) and [`code` heading](docs/locks.md#the-fencing-token-across-a-failover).\n");
		write(root, "docs/locks.md", "# Locks\n\n## The fencing token across a failover\n");

		assertThat(new DocsSync(root, metadata()).check()).containsExactly(
				"README.md:3: link to a missing anchor docs/locks.md#fencing-tokens",
				"README.md:3: link to a missing file docs/gone.md");
	}

	@Test
	void aPropertyTableNamingAPropertyTheMetadataDoesNotKnowIsReported(@TempDir Path root) throws IOException {
		write(root, "README.md", """
				# Title

				| property | default | meaning |
				| --- | --- | --- |
				| `redis.starter.enabled` | `true` | known |
				| `redis.starter.cache.default-tll` | `10m` | misspelt |
				| `redis.starter.cache.<name>.ttl` | | a group that exists |
				| `redis.starter.session.*` | | a group that does not |

				| meter | tags |
				| --- | --- |
				| `redis.starter.cache.gets` | not a property table |
				""");
		Files.createDirectories(root.resolve("docs"));

		assertThat(new DocsSync(root, metadata()).check()).containsExactly(
				"README.md:6: names a property the configuration metadata does not know: redis.starter.cache.default-tll",
				"README.md:8: names a property the configuration metadata does not know: redis.starter.session.*");
	}

	@Test
	void anObservationTableThatDiffersFromTheCodeIsReportedAndRewritten(@TempDir Path root) throws IOException {
		write(root, "README.md", "# Title\n\n" + ObservationTable.BEGIN + "\n| stale |\n" + ObservationTable.END + "\n");
		Files.createDirectories(root.resolve("docs"));
		DocsSync docs = new DocsSync(root, metadata());

		assertThat(docs.check()).singleElement().asString().contains("README.md: differs from its sources");
		assertThat(docs.write()).isEmpty();
		assertThat(Files.readString(root.resolve("README.md"))).contains("| `redis.starter.queue.handle` |")
			.doesNotContain("| stale |");
		assertThat(docs.check()).isEmpty();
	}

	@Test
	void aMeterTableThatDiffersFromTheCodeIsReportedAndRewritten(@TempDir Path root) throws IOException {
		write(root, "README.md", "# Title\n\n" + MeterTable.BEGIN + "\n| stale |\n" + MeterTable.END + "\n");
		Files.createDirectories(root.resolve("docs"));
		DocsSync docs = new DocsSync(root, metadata());

		assertThat(docs.check()).singleElement().asString().contains("README.md: differs from its sources");
		assertThat(docs.write()).isEmpty();
		assertThat(Files.readString(root.resolve("README.md")))
			.contains("| `redis.starter.queue.jobs` | gauge | jobs | `queue`, `state` |")
			.doesNotContain("| stale |");
		assertThat(docs.check()).isEmpty();
	}

	@Test
	void headingsGetGitHubsAnchors() {
		assertThat(DocsSync.slug("Fault schedules (`dev.redisstarter.test.schedule`)"))
			.isEqualTo("fault-schedules-devredisstartertestschedule");
		assertThat(DocsSync.slug("Messaging: pub/sub")).isEqualTo("messaging-pubsub");
	}

	private static JsonNode metadata() {
		return JsonMapper.builder().build().readTree(METADATA);
	}

	private static void write(Path root, String file, String text) throws IOException {
		Path path = root.resolve(file);
		Files.createDirectories(path.getParent());
		Files.writeString(path, text);
	}

}
