package dev.redisstarter.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the README and the pages under {@code docs/} in step with the code: Java snippets are copied from compiled
 * sources, the property tables of {@code docs/configuration.md} are generated from the configuration metadata, and
 * every relative link and anchor must lead somewhere.
 *
 * <p>A snippet is a marker line {@code <!-- snippet: <path from the repository root>#<tag> -->} followed by a
 * {@code ```java} block; the source holds the region between {@code // tag::<tag>[]} and {@code // end::<tag>[]}.
 * Every {@code ```java} block must carry a marker, so that no snippet escapes the compiler. The property tables sit
 * between {@code <!-- properties:begin -->} and {@code <!-- properties:end -->}.
 *
 * <p>{@link #check()} lists every difference; {@link #write()} rewrites the pages from their sources (run
 * {@code ./mvnw -pl sample-app -am test -Dtest=DocsTests -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.write=true}).
 */
final class DocsSync {

	private static final Pattern SNIPPET_MARKER = Pattern.compile("^<!-- snippet: ([^#\\s]+)#([\\w-]+) -->$");

	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]*)\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

	private static final Pattern PROPERTY_CELL = Pattern.compile("^\\| `((?:redis\\.starter|management)\\.[^` ]*)");

	private static final String PROPERTIES_BEGIN = "<!-- properties:begin -->";

	private static final String PROPERTIES_END = "<!-- properties:end -->";

	private final Path root;

	private final JsonNode metadata;

	DocsSync(Path root, JsonNode metadata) {
		this.root = root;
		this.metadata = metadata;
	}

	/** The repository of the working directory, and the starter's metadata from the class path. */
	static DocsSync ofWorkingDirectory() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs")))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("No README.md with a docs/ folder above " + Path.of("").toAbsolutePath());
		}
		return new DocsSync(dir, starterMetadata());
	}

	private static JsonNode starterMetadata() {
		try {
			for (URL url : Collections.list(DocsSync.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				if (url.toString().contains("redis-starter-autoconfigure")) {
					try (InputStream in = url.openStream()) {
						return JsonMapper.builder().build().readTree(in);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new IllegalStateException("redis-starter-autoconfigure's spring-configuration-metadata.json is not on the class path");
	}

	/** Every difference between the pages and their sources, and every broken link; empty when all agree. */
	List<String> check() {
		List<String> problems = new ArrayList<>();
		for (Path page : pages()) {
			String text = read(page);
			String expected = render(page, text, problems);
			if (!expected.equals(text)) {
				problems.add(relative(page) + ": differs from its sources (snippets, property, meter or observation tables) from line "
						+ firstDifference(text, expected) + "; run with -Ddocs.write=true to rewrite it");
			}
		}
		problems.addAll(brokenLinks());
		problems.addAll(unknownProperties());
		return problems;
	}

	/** Rewrites every page from its sources; returns the problems that rewriting cannot fix. */
	List<String> write() {
		List<String> problems = new ArrayList<>();
		for (Path page : pages()) {
			String text = read(page);
			String expected = render(page, text, problems);
			if (!expected.equals(text)) {
				try {
					Files.writeString(page, expected, StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}
		problems.addAll(brokenLinks());
		problems.addAll(unknownProperties());
		return problems;
	}

	private static int firstDifference(String text, String expected) {
		String[] actual = text.split("\n", -1);
		String[] wanted = expected.split("\n", -1);
		int line = 0;
		while (line < actual.length && line < wanted.length && actual[line].equals(wanted[line])) {
			line++;
		}
		return line + 1;
	}

	List<Path> pages() {
		List<Path> pages = new ArrayList<>();
		pages.add(this.root.resolve("README.md"));
		try (Stream<Path> docs = Files.walk(this.root.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	/** The page as its sources say it should read. */
	String render(Path page, String text, List<String> problems) {
		String withSnippets = renderSnippets(page, text, problems);
		String withProperties = renderProperties(page, withSnippets, problems);
		String withObservations = renderBetween(page, withProperties, ObservationTable.BEGIN, ObservationTable.END,
				ObservationTable.render(), problems);
		return renderBetween(page, withObservations, MeterTable.BEGIN, MeterTable.END, MeterTable.render(), problems);
	}

	private String renderSnippets(Path page, String text, List<String> problems) {
		List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
		List<String> out = new ArrayList<>();
		String marker = null;
		boolean inFence = false;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (!inFence && line.startsWith("```")) {
				inFence = true;
				out.add(line);
				if (line.equals("```java")) {
					if (marker == null) {
						problems.add(relative(page) + ":" + (i + 1) + ": a Java snippet without a source "
								+ "(put <!-- snippet: <file>#<tag> --> before it)");
						continue;
					}
					Matcher m = SNIPPET_MARKER.matcher(marker);
					m.find();
					List<String> region = region(m.group(1), m.group(2), page, i + 1, problems);
					if (region != null) {
						int end = i + 1;
						while (end < lines.size() && !lines.get(end).startsWith("```")) {
							end++;
						}
						out.addAll(region);
						i = end - 1;
					}
				}
				marker = null;
				continue;
			}
			if (inFence && line.startsWith("```")) {
				inFence = false;
			}
			else if (!inFence && SNIPPET_MARKER.matcher(line).find()) {
				marker = line;
			}
			else if (!inFence && !line.isBlank()) {
				marker = null;
			}
			out.add(line);
		}
		return String.join("\n", out);
	}

	/** The lines between a source's tag markers, without other markers and without their common indentation. */
	List<String> region(String file, String tag, Path page, int lineNumber, List<String> problems) {
		Path source = this.root.resolve(file);
		if (!Files.isRegularFile(source)) {
			problems.add(relative(page) + ":" + lineNumber + ": snippet source " + file + " does not exist");
			return null;
		}
		List<String> region = new ArrayList<>();
		boolean inside = false;
		boolean found = false;
		for (String line : read(source).split("\n", -1)) {
			if (line.contains("// tag::" + tag + "[]")) {
				inside = true;
				found = true;
			}
			else if (line.contains("// end::" + tag + "[]")) {
				inside = false;
			}
			else if (inside && !line.contains("// tag::") && !line.contains("// end::")) {
				region.add(line.replace("\t", "    "));
			}
		}
		if (!found) {
			problems.add(relative(page) + ":" + lineNumber + ": no region '" + tag + "' in " + file);
			return null;
		}
		int indent = region.stream()
			.filter((line) -> !line.isBlank())
			.mapToInt((line) -> line.length() - line.stripLeading().length())
			.min()
			.orElse(0);
		region.replaceAll((line) -> line.isBlank() ? "" : line.substring(indent));
		return region;
	}

	private String renderProperties(Path page, String text, List<String> problems) {
		// Markers count only on lines of their own, so that prose may name them.
		int begin = lineIndex(text, PROPERTIES_BEGIN);
		int end = lineIndex(text, PROPERTIES_END);
		if (begin < 0 && end < 0) {
			return text;
		}
		if (begin < 0 || end < begin) {
			problems.add(relative(page) + ": " + PROPERTIES_BEGIN + " and " + PROPERTIES_END + " do not pair up");
			return text;
		}
		return text.substring(0, begin + PROPERTIES_BEGIN.length()) + "\n" + propertyTables()
				+ text.substring(end);
	}

	/** Replaces what stands between two marker lines with generated text. */
	private String renderBetween(Path page, String text, String beginMarker, String endMarker, String generated,
			List<String> problems) {
		int begin = lineIndex(text, beginMarker);
		int end = lineIndex(text, endMarker);
		if (begin < 0 && end < 0) {
			return text;
		}
		if (begin < 0 || end < begin) {
			problems.add(relative(page) + ": " + beginMarker + " and " + endMarker + " do not pair up");
			return text;
		}
		return text.substring(0, begin + beginMarker.length()) + "\n" + generated + text.substring(end);
	}

	private static int lineIndex(String text, String line) {
		Matcher marker = Pattern.compile("(?m)^" + Pattern.quote(line) + "$").matcher(text);
		return marker.find() ? marker.start() : -1;
	}

	/** One table per capability (the segment after {@code redis.starter.}), then the deprecated names. */
	String propertyTables() {
		Map<String, List<JsonNode>> groups = new TreeMap<>(Comparator.comparing((String group) -> !group.isEmpty())
			.thenComparing(Comparator.naturalOrder()));
		List<JsonNode> deprecated = new ArrayList<>();
		for (JsonNode property : this.metadata.get("properties")) {
			String name = property.get("name").asString();
			if (property.path("deprecated").asBoolean(false)) {
				deprecated.add(property);
				continue;
			}
			String group = name.startsWith("redis.starter.") ? groupOf(name.substring("redis.starter.".length()))
					: "management";
			groups.computeIfAbsent(group, (key) -> new ArrayList<>()).add(property);
		}
		StringBuilder out = new StringBuilder();
		groups.forEach((group, properties) -> {
			out.append("\n### ")
				.append(group.isEmpty() ? "redis.starter" : group.equals("management") ? "management"
						: "redis.starter." + group)
				.append("\n\n| property | type | default | description |\n| --- | --- | --- | --- |\n");
			properties.sort(Comparator.comparing((property) -> property.get("name").asString()));
			for (JsonNode property : properties) {
				out.append("| `")
					.append(property.get("name").asString())
					.append("` | ")
					.append(shortType(property.path("type").asString("")))
					.append(" | ")
					.append(property.has("defaultValue") ? "`" + defaultValue(property.get("defaultValue")) + "`" : "")
					.append(" | ")
					.append(cell(property.path("description").asString("")))
					.append(" |\n");
			}
		});
		if (!deprecated.isEmpty()) {
			deprecated.sort(Comparator.comparing((property) -> property.get("name").asString()));
			out.append("\n### Deprecated names\n\n| property | replacement |\n| --- | --- |\n");
			for (JsonNode property : deprecated) {
				out.append("| `")
					.append(property.get("name").asString())
					.append("` | `")
					.append(property.path("deprecation").path("replacement").asString(""))
					.append("` |\n");
			}
		}
		return out.append("\n").toString();
	}

	private static String groupOf(String rest) {
		int dot = rest.indexOf('.');
		return (dot < 0) ? "" : rest.substring(0, dot);
	}

	private static String shortType(String type) {
		return cell(type.replaceAll("(?:[a-z][\\w]*\\.)+([A-Z])", "$1").replace('$', '.')).replace("<", "&lt;")
			.replace(">", "&gt;");
	}

	private static String defaultValue(JsonNode value) {
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(", ", items);
		}
		return value.asString();
	}

	private static String cell(String text) {
		return text.replaceAll("\\s+", " ").replace("|", "\\|").strip();
	}

	/**
	 * Rows of the hand-written property tables (a table whose first column is headed {@code property}) that name a
	 * property the configuration metadata does not know. {@code <name>}, {@code [i]} and {@code *} stand for any key,
	 * so only the part before them is checked, as a property or a group of properties.
	 */
	List<String> unknownProperties() {
		Set<String> names = new HashSet<>();
		this.metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));
		List<String> problems = new ArrayList<>();
		for (Path page : pages()) {
			List<String> lines = List.of(read(page).split("\n", -1));
			boolean propertyTable = false;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (!line.startsWith("|")) {
					propertyTable = false;
					continue;
				}
				if (line.startsWith("| property |")) {
					propertyTable = true;
					continue;
				}
				Matcher name = PROPERTY_CELL.matcher(line);
				if (propertyTable && name.find()) {
					String known = name.group(1).replaceAll("[<\\[*].*$", "").replaceAll("\\.+$", "");
					if (!names.contains(known) && names.stream().noneMatch((each) -> each.startsWith(known + "."))) {
						problems.add(relative(page) + ":" + (i + 1) + ": names a property the configuration metadata "
								+ "does not know: " + name.group(1));
					}
				}
			}
		}
		return problems;
	}

	/** Relative links whose file or anchor does not exist. */
	List<String> brokenLinks() {
		Map<Path, Set<String>> anchors = new HashMap<>();
		List<String> problems = new ArrayList<>();
		for (Path page : pages()) {
			List<String> lines = List.of(read(page).split("\n", -1));
			boolean inFence = false;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (line.startsWith("```")) {
					inFence = !inFence;
					continue;
				}
				if (inFence) {
					continue;
				}
				Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
				while (link.find()) {
					String target = link.group(1);
					if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
						continue;
					}
					int hash = target.indexOf('#');
					String file = (hash < 0) ? target : target.substring(0, hash);
					String anchor = (hash < 0) ? null : target.substring(hash + 1);
					Path targetPath = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
					if (!Files.exists(targetPath)) {
						problems.add(relative(page) + ":" + (i + 1) + ": link to a missing file " + target);
					}
					else if (anchor != null && targetPath.toString().endsWith(".md")
							&& !anchors.computeIfAbsent(targetPath, this::anchorsOf).contains(anchor)) {
						problems.add(relative(page) + ":" + (i + 1) + ": link to a missing anchor " + target);
					}
				}
			}
		}
		return problems;
	}

	/** The anchors GitHub gives a page's headings (lower case, punctuation dropped, spaces as dashes, -1 for repeats). */
	Set<String> anchorsOf(Path page) {
		Set<String> anchors = new HashSet<>();
		Map<String, Integer> seen = new LinkedHashMap<>();
		boolean inFence = false;
		for (String line : read(page).split("\n", -1)) {
			if (line.startsWith("```")) {
				inFence = !inFence;
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (!inFence && heading.matches()) {
				String slug = slug(heading.group(1));
				int count = seen.merge(slug, 1, Integer::sum) - 1;
				anchors.add((count == 0) ? slug : slug + "-" + count);
			}
		}
		return anchors;
	}

	static String slug(String heading) {
		String text = heading.strip().toLowerCase(Locale.ROOT).replace("`", "");
		text = text.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
		text = text.replaceAll("[^\\p{L}\\p{N}_\\- ]", "");
		return text.replace(' ', '-');
	}

	private String relative(Path path) {
		return this.root.relativize(path).toString();
	}

	private static String read(Path path) {
		try {
			return Files.readString(path, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
