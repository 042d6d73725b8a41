package dev.redisstarter.test.schedule;

import java.time.Instant;

/**
 * One line of an {@link EventLedger}.
 *
 * @param at when it was recorded (the recording process's clock)
 * @param process the process's name
 * @param pid the process's pid
 * @param event what happened ({@link EventLedger#ACCEPTED}, {@link EventLedger#HANDLED} or the application's own)
 * @param id the message it happened to
 */
public record LedgerEvent(Instant at, String process, long pid, String event, String id) {

	static LedgerEvent parse(String line) {
		String[] words = line.split(" ");
		if (words.length != 5) {
			throw new IllegalArgumentException("Not a ledger line: '" + line + "'");
		}
		return new LedgerEvent(Instant.ofEpochMilli(Long.parseLong(words[0])), words[1], Long.parseLong(words[2]), words[3],
				words[4]);
	}

}
