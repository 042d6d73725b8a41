package dev.redisstarter.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} process started by this JVM: its shutdown hook, its stop, and the {@code SIGSTOP}
 * and {@code SIGCONT} signals that freeze and thaw it. Signals go only to this process, by its pid, and only
 * while it is alive, so a pid the system has since given to another process is never signalled.
 */
final class RedisProcess {

	private final Process process;

	private final Thread shutdownHook;

	private boolean frozen;

	private RedisProcess(Process process, String name) {
		this.process = process;
		this.shutdownHook = new Thread(process::destroyForcibly, name + "-shutdown");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Starts a process whose output is appended to a log file, and registers a shutdown hook that kills it
	 * when the JVM exits first.
	 */
	static RedisProcess start(List<String> command, Path logFile, String name) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
		try {
			return new RedisProcess(builder.start(), name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + command.get(0), ex);
		}
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	int exitValue() {
		return this.process.exitValue();
	}

	synchronized boolean isFrozen() {
		return this.frozen && this.process.isAlive();
	}

	/** Sends {@code SIGSTOP}: the process keeps its sockets but runs no more code until {@link #thaw()}. */
	synchronized void freeze() {
		if (!this.frozen) {
			signal("STOP");
			this.frozen = true;
		}
	}

	/** Sends {@code SIGCONT}: a frozen process runs again. */
	synchronized void thaw() {
		if (this.frozen) {
			signal("CONT");
			this.frozen = false;
		}
	}

	/**
	 * Stops the process and waits until it is gone: {@code SIGTERM} (after {@code SIGCONT} when frozen, since a
	 * stopped process cannot act on it), then {@code SIGKILL} when it does not exit within ten seconds.
	 */
	synchronized void stop() {
		try {
			if (this.frozen) {
				this.frozen = false;
				try {
					signal("CONT");
				}
				catch (IllegalStateException ex) {
					this.process.destroyForcibly();
				}
			}
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			removeShutdownHook();
		}
	}

	private void removeShutdownHook() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is exiting: the hook runs anyway
		}
	}

	private void signal(String signal) {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("redis-server (pid " + pid() + ") is not running, so it cannot get SIG" + signal);
		}
		ProcessSignals.send(pid(), signal);
	}

}
