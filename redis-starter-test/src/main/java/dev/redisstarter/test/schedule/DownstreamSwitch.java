package dev.redisstarter.test.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A downstream (a database, a partner API) that a fault schedule can take down for every process of a run at
 * once: a marker file in the run directory. Handlers under test call {@link #failIfDown()} where they would call
 * the downstream; {@link FaultKind#DOWNSTREAM_OUTAGE} creates the file and its heal removes it.
 */
public final class DownstreamSwitch {

	private final Path marker;

	private DownstreamSwitch(Path runDirectory) {
		this.marker = runDirectory.resolve("downstream-down");
	}

	/**
	 * The switch of a run directory.
	 * @param runDirectory the directory every process of the run shares
	 * @return the switch
	 */
	public static DownstreamSwitch in(Path runDirectory) {
		return new DownstreamSwitch(runDirectory);
	}

	/** Takes the downstream down for every process of the run. */
	public void down() {
		try {
			Files.createDirectories(this.marker.getParent());
			Files.writeString(this.marker, "down");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Brings the downstream back. */
	public void up() {
		try {
			Files.deleteIfExists(this.marker);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether the downstream is down.
	 * @return whether the marker file exists
	 */
	public boolean isDown() {
		return Files.exists(this.marker);
	}

	/**
	 * Throws when the downstream is down, as a call to it would fail.
	 * @throws DownstreamUnavailableException when it is down
	 */
	public void failIfDown() {
		if (isDown()) {
			throw new DownstreamUnavailableException();
		}
	}

	/** What {@link #failIfDown()} throws while the downstream is down. */
	public static final class DownstreamUnavailableException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		DownstreamUnavailableException() {
			super("The downstream is down (fault schedule)");
		}

	}

}
