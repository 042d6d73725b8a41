package dev.redisstarter.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sends a signal with {@code kill}, to one pid that the caller started itself (never by name): {@code STOP} and
 * {@code CONT} freeze and thaw a process, {@code KILL} ends it without a chance to clean up.
 */
public final class ProcessSignals {

	private ProcessSignals() {
	}

	/**
	 * Sends a signal and waits for {@code kill} to finish.
	 * @param pid a process the caller started
	 * @param signal its name without {@code SIG}, such as {@code STOP}
	 * @throws IllegalStateException when {@code kill} fails or cannot run
	 */
	public static void send(long pid, String signal) {
		ProcessBuilder kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true);
		try {
			Process sender = kill.start();
			String output = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!sender.waitFor(10, TimeUnit.SECONDS)) {
				sender.destroyForcibly();
				throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish");
			}
			if (sender.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed with " + sender.exitValue()
						+ (output.isEmpty() ? "" : ": " + output));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run kill to send SIG" + signal + " to pid " + pid
					+ " (pausing or freezing a process needs a Unix-like system)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to pid " + pid, ex);
		}
	}

}
