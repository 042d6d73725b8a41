package dev.redisstarter.messaging.stream;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a durable-topic instance missed while it was away: entries added after its group's last-delivered id that
 * the stream no longer holds, found in {@code XINFO STREAM} and the group's line of {@code XINFO GROUPS}.
 *
 * <p>Entries go two ways. {@code XDEL} moves the stream's {@code max-deleted-entry-id} (Redis 7). Trimming
 * ({@code MAXLEN}, {@code MINID}: the stream's bounds) removes the oldest entries and leaves that id alone, so it is
 * found from the stream's first entry: at or before the last-delivered id, nothing the group had yet to read was
 * trimmed; past it, the entries the group has not read ({@code entries-added} minus the group's
 * {@code entries-read}, Redis 7) are compared with what the stream still holds. Redis 6.2 has neither counter:
 * there a first entry past the last-delivered id, with entries added since, is reported as a possible gap.
 */
final class MissedEntries {

	private MissedEntries() {
	}

	/**
	 * Describes the gap, if any.
	 * @param stream the fields of {@code XINFO STREAM}
	 * @param group the fields of the group's line of {@code XINFO GROUPS}
	 * @return what was lost, in words, or {@code null} when nothing was
	 */
	static @Nullable String find(Map<String, Object> stream, Map<String, Object> group) {
		String lastDelivered = StreamEntry.text(group.get("last-delivered-id"));
		Object maxDeleted = stream.get("max-deleted-entry-id");
		if (maxDeleted != null && StreamIds.compare(StreamEntry.text(maxDeleted), lastDelivered) > 0) {
			return "entries after " + lastDelivered + " up to " + StreamEntry.text(maxDeleted) + " were deleted";
		}
		Object lastGenerated = stream.get("last-generated-id");
		if (lastGenerated == null || StreamIds.compare(StreamEntry.text(lastGenerated), lastDelivered) <= 0) {
			return null;
		}
		String first = (stream.get("first-entry") instanceof List<?> entry && !entry.isEmpty())
				? StreamEntry.text(entry.get(0)) : null;
		if (first != null && StreamIds.compare(first, lastDelivered) <= 0) {
			return null;
		}
		Long added = number(stream.get("entries-added"));
		Long read = number(group.get("entries-read"));
		Long length = number(stream.get("length"));
		if (added != null && read != null && length != null) {
			// Every entry still in the stream comes after the last-delivered id: the rest of the unread ones are gone.
			long gone = added - read - length;
			return (gone > 0) ? gone + " entries after " + lastDelivered + " were trimmed" : null;
		}
		return "entries after " + lastDelivered + " up to " + ((first != null) ? first : StreamEntry.text(lastGenerated))
				+ " may have been trimmed";
	}

	private static @Nullable Long number(@Nullable Object value) {
		if (value instanceof Number number) {
			return number.longValue();
		}
		if (value == null) {
			return null;
		}
		try {
			return Long.parseLong(StreamEntry.text(value));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
