package dev.redisstarter.test.schedule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Sends a signal with {@code kill}, to one pid that the caller started itself. */
final class Signals {

	private Signals() {
	}

	static void send(long pid, String signal) {
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
					+ " (pausing a process needs a Unix-like system)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to pid " + pid, ex);
		}
	}

}
