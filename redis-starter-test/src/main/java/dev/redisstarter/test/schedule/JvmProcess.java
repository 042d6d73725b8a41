package dev.redisstarter.test.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.test.ProcessSignals;

/**
 * A JVM this test started from a {@link JvmSpec}, to be killed ({@code SIGKILL}), paused ({@code SIGSTOP}),
 * resumed ({@code SIGCONT}) and started again, the way a crashing or stalled application instance behaves.
 *
 * <p>Signals go only to the process this object started, by its pid, and only while it is alive, so a pid the
 * system has since given to another process is never signalled. The output of every run is appended to
 * {@code <logDirectory>/<name>.log}; a shutdown hook kills the process when the test's JVM exits first.
 * <pre>{@code
 * try (JvmProcess consumer = JvmProcess.start(JvmSpec.of("consumer-1", Worker.class), runDirectory)) {
 *     consumer.awaitOutput("ready", Duration.ofSeconds(60));
 *     consumer.kill();          // kill -9
 *     consumer.start();         // the same spec again, a new pid
 * }
 * }</pre>
 */
public final class JvmProcess implements AutoCloseable {

	private final JvmSpec spec;

	private final Path logFile;

	private @Nullable Process process;

	private @Nullable Thread shutdownHook;

	private long logOffset;

	private boolean paused;

	private int starts;

	private JvmProcess(JvmSpec spec, Path logDirectory) {
		this.spec = spec;
		this.logFile = logDirectory.resolve(spec.name() + ".log");
	}

	/**
	 * Creates the process and starts it.
	 * @param spec what to run
	 * @param logDirectory where its output goes (created when missing)
	 * @return the running process
	 */
	public static JvmProcess start(JvmSpec spec, Path logDirectory) {
		try {
			Files.createDirectories(logDirectory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new JvmProcess(spec, logDirectory).start();
	}

	/**
	 * Starts the spec again when the process is not running (after {@link #kill()} or {@link #stop(Duration)});
	 * a running process is left as it is.
	 * @return this process
	 */
	public synchronized JvmProcess start() {
		if (isAlive()) {
			return this;
		}
		try {
			this.logOffset = Files.exists(this.logFile) ? Files.size(this.logFile) : 0;
			Process started = new ProcessBuilder(this.spec.command()).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
			Thread hook = new Thread(started::destroyForcibly, "jvm-process-" + this.spec.name() + "-shutdown");
			Runtime.getRuntime().addShutdownHook(hook);
			this.process = started;
			this.shutdownHook = hook;
			this.paused = false;
			this.starts++;
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + this.spec.name(), ex);
		}
	}

	/** Kills the process with {@code SIGKILL} and waits until it is gone; nothing of it runs after this returns. */
	public synchronized void kill() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		running.destroyForcibly();
		awaitExit(running, Duration.ofSeconds(30));
		ended();
	}

	/**
	 * Stops the process with {@code SIGTERM} (its shutdown hooks run: a Spring application closes its context),
	 * then {@code SIGKILL} when it has not exited within the grace period. A paused process is resumed first, since a
	 * stopped process cannot act on {@code SIGTERM}.
	 * @param grace how long it may take to exit
	 */
	public synchronized void stop(Duration grace) {
		Process running = this.process;
		if (running == null) {
			return;
		}
		if (this.paused && running.isAlive()) {
			resume();
		}
		running.destroy();
		if (!awaitExit(running, grace)) {
			running.destroyForcibly();
			awaitExit(running, Duration.ofSeconds(30));
		}
		ended();
	}

	/** Freezes the process with {@code SIGSTOP}: its sockets stay open, none of its threads runs. */
	public synchronized void pause() {
		if (!this.paused) {
			ProcessSignals.send(running("pause").pid(), "STOP");
			this.paused = true;
		}
	}

	/** Resumes a {@linkplain #pause() paused} process with {@code SIGCONT}; others are left as they are. */
	public synchronized void resume() {
		Process running = this.process;
		if (this.paused && running != null && running.isAlive()) {
			ProcessSignals.send(running.pid(), "CONT");
		}
		this.paused = false;
	}

	/**
	 * Waits until the output of the current run contains a text (such as a "ready" line the main class prints).
	 * @param text the text
	 * @param timeout how long to wait
	 * @throws IllegalStateException when the process exits first or the time is up; the message has the log's end
	 */
	public void awaitOutput(String text, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!output().contains(text)) {
			if (!isAlive()) {
				throw new IllegalStateException(this.spec.name() + " exited before printing '" + text + "':\n" + tail());
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						this.spec.name() + " did not print '" + text + "' within " + timeout + ":\n" + tail());
			}
			sleep(Duration.ofMillis(100));
		}
	}

	/**
	 * The output of the current run (the latest {@link #start()}).
	 * @return what it printed so far
	 */
	public synchronized String output() {
		try {
			if (!Files.exists(this.logFile)) {
				return "";
			}
			byte[] all = Files.readAllBytes(this.logFile);
			int from = (int) Math.min(this.logOffset, all.length);
			return new String(all, from, all.length - from, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String tail() {
		String output = output();
		return output.substring(Math.max(0, output.length() - 4000));
	}

	/**
	 * The pid of the running process.
	 * @return the pid, or empty when it is not running
	 */
	public synchronized OptionalLong pid() {
		Process running = this.process;
		return (running != null && running.isAlive()) ? OptionalLong.of(running.pid()) : OptionalLong.empty();
	}

	/**
	 * Whether the process runs (a paused process counts as running).
	 * @return whether it was started and has not exited
	 */
	public synchronized boolean isAlive() {
		Process running = this.process;
		return running != null && running.isAlive();
	}

	/**
	 * Whether the process is {@linkplain #pause() paused}.
	 * @return whether it is stopped by {@code SIGSTOP}
	 */
	public synchronized boolean isPaused() {
		return this.paused && isAlive();
	}

	/**
	 * How many times the spec was started, the first start included.
	 * @return the number of starts
	 */
	public synchronized int starts() {
		return this.starts;
	}

	/**
	 * What this process runs.
	 * @return the spec
	 */
	public JvmSpec spec() {
		return this.spec;
	}

	/**
	 * The file its output is appended to.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/** Kills the process when it still runs. */
	@Override
	public void close() {
		kill();
	}

	private Process running(String action) {
		Process running = this.process;
		if (running == null || !running.isAlive()) {
			throw new IllegalStateException("Cannot " + action + " " + this.spec.name() + ": it is not running");
		}
		return running;
	}

	private void ended() {
		this.process = null;
		this.paused = false;
		Thread hook = this.shutdownHook;
		this.shutdownHook = null;
		if (hook != null) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// the JVM is exiting: the hook runs anyway
			}
		}
	}

	private static boolean awaitExit(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			return false;
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	@Override
	public String toString() {
		return "JvmProcess[" + this.spec.name() + ", " + this.spec.mainClass() + "]";
	}

}
