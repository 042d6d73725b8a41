package dev.redisstarter.test.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every {@link EventLedger} line of a run directory, from all processes, in time order. A last line without its
 * line end (its process was killed while writing it) is left out.
 *
 * @param events the events, oldest first
 */
public record LedgerEvents(List<LedgerEvent> events) {

	/**
	 * Copies the list.
	 * @param events the events
	 */
	public LedgerEvents {
		events = List.copyOf(events);
	}

	/**
	 * Reads every ledger of a run directory.
	 * @param runDirectory the directory
	 * @return the events, oldest first
	 */
	public static LedgerEvents read(Path runDirectory) {
		List<LedgerEvent> events = new ArrayList<>();
		try (Stream<Path> files = Files.list(runDirectory)) {
			for (Path file : files.filter((file) -> file.getFileName().toString().endsWith(EventLedger.SUFFIX)).toList()) {
				String text = Files.readString(file, StandardCharsets.UTF_8);
				int end = text.lastIndexOf('\n');
				if (end >= 0) {
					text.substring(0, end).lines().filter((line) -> !line.isBlank()).map(LedgerEvent::parse).forEach(events::add);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the ledgers of " + runDirectory, ex);
		}
		events.sort(Comparator.comparing(LedgerEvent::at));
		return new LedgerEvents(events);
	}

	/**
	 * The events of one kind.
	 * @param event the event
	 * @return those events, oldest first
	 */
	public List<LedgerEvent> of(String event) {
		return this.events.stream().filter((each) -> each.event().equals(event)).toList();
	}

	/**
	 * The ids an event happened to.
	 * @param event the event
	 * @return the distinct ids
	 */
	public Set<String> ids(String event) {
		return of(event).stream().map(LedgerEvent::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
	}

	/**
	 * How many times an event happened to each id.
	 * @param event the event
	 * @return ids mapped to counts
	 */
	public Map<String, Integer> counts(String event) {
		Map<String, Integer> counts = new TreeMap<>();
		of(event).forEach((each) -> counts.merge(each.id(), 1, Integer::sum));
		return counts;
	}

	/**
	 * When an event first happened to each id.
	 * @param event the event
	 * @return ids mapped to the first time
	 */
	public Map<String, Instant> firstTimes(String event) {
		Map<String, Instant> first = new LinkedHashMap<>();
		of(event).forEach((each) -> first.putIfAbsent(each.id(), each.at()));
		return first;
	}

	/**
	 * The events one process recorded, over all its runs.
	 * @param process the process's name
	 * @return its events, oldest first
	 */
	public LedgerEvents byProcess(String process) {
		return new LedgerEvents(this.events.stream().filter((each) -> each.process().equals(process)).toList());
	}

}
