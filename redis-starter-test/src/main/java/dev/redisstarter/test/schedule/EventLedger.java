package dev.redisstarter.test.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What one process of a run did, appended line by line to a file of its own in the run directory, so that a
 * {@link LedgerCheck} can compare what producers had accepted with what consumers handled across processes and
 * restarts. Each line is written with one unbuffered {@code write} (no {@code fsync}): a process killed with
 * {@code SIGKILL} keeps every line it recorded before, as the kernel holds them; only a line being recorded at
 * the moment of the kill may be missing.
 *
 * <p>Record {@code accepted} after an enqueue or add returned, and {@code handled} in the handler just before it
 * returns (after the work it stands for), each with the application's own id of the message:
 * <pre>{@code
 * EventLedger ledger = EventLedger.fromSystemProperties();    // in a main class started by JvmProcess
 * jobs.enqueue("mail", new Mail(id, ...), JobOptions.defaults().withJobId(id));
 * ledger.accepted(id);
 * ...
 * @JobHandler(queue = "mail") void send(Mail mail) { ...; ledger.handled(mail.id()); }
 * }</pre>
 * Lines read {@code <epoch-millis> <process> <pid> <event> <id>}; events and ids must not contain white space.
 */
public final class EventLedger implements AutoCloseable {

	/** The system property naming the run directory, for {@link #fromSystemProperties()}. */
	public static final String RUN_DIRECTORY_PROPERTY = "redis.starter.schedule.run-directory";

	/** The system property naming the process, for {@link #fromSystemProperties()}. */
	public static final String PROCESS_PROPERTY = "redis.starter.schedule.process";

	/** The event recorded when an enqueue or add returned. */
	public static final String ACCEPTED = "accepted";

	/** The event recorded when a handler finished its work. */
	public static final String HANDLED = "handled";

	/** The file name suffix of ledgers in a run directory. */
	static final String SUFFIX = ".ledger";

	private final String process;

	private final long pid;

	private final FileChannel channel;

	private EventLedger(String process, FileChannel channel) {
		this.process = process;
		this.pid = ProcessHandle.current().pid();
		this.channel = channel;
	}

	/**
	 * Opens this process's ledger in a run directory: {@code <process>-<pid>.ledger}, so that a restarted
	 * process writes a new file.
	 * @param runDirectory the directory every process of the run shares (created when missing)
	 * @param process a name for the process, such as {@code consumer-1}
	 * @return the ledger
	 */
	public static EventLedger open(Path runDirectory, String process) {
		checkWord("process", process);
		try {
			Files.createDirectories(runDirectory);
			Path file = runDirectory.resolve(process + "-" + ProcessHandle.current().pid() + SUFFIX);
			return new EventLedger(process, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open a ledger in " + runDirectory, ex);
		}
	}

	/**
	 * Opens the ledger named by the system properties {@value #RUN_DIRECTORY_PROPERTY} and
	 * {@value #PROCESS_PROPERTY}, as a main class started by {@link JvmProcess} does.
	 * @return the ledger
	 * @throws IllegalStateException when a property is missing
	 */
	public static EventLedger fromSystemProperties() {
		String directory = System.getProperty(RUN_DIRECTORY_PROPERTY);
		String process = System.getProperty(PROCESS_PROPERTY);
		if (directory == null || process == null) {
			throw new IllegalStateException(
					"Set -D" + RUN_DIRECTORY_PROPERTY + " and -D" + PROCESS_PROPERTY + " to open a ledger");
		}
		return open(Path.of(directory), process);
	}

	/**
	 * Records that an enqueue or add of a message returned.
	 * @param id the message's id
	 */
	public void accepted(String id) {
		record(ACCEPTED, id);
	}

	/**
	 * Records that a message was handled.
	 * @param id the message's id
	 */
	public void handled(String id) {
		record(HANDLED, id);
	}

	/**
	 * Records an event of the application's own.
	 * @param event what happened
	 * @param id to what
	 */
	public synchronized void record(String event, String id) {
		checkWord("event", event);
		checkWord("id", id);
		String line = System.currentTimeMillis() + " " + this.process + " " + this.pid + " " + event + " " + id + "\n";
		ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
		try {
			while (bytes.hasRemaining()) {
				this.channel.write(bytes);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot record " + line.strip(), ex);
		}
	}

	private static void checkWord(String what, String value) {
		if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException(what + " must be one word without white space, was '" + value + "'");
		}
	}

	@Override
	public synchronized void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
