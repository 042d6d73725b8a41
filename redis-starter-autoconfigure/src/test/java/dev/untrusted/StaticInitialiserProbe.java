package dev.untrusted;

/**
 * A class outside every allowed package whose static initialiser leaves a trace: reading an entry that names it
 * must not initialise it (nor should anything that an attacker can write to Redis).
 */
public final class StaticInitialiserProbe {

	/** The system property its initialiser sets. */
	public static final String INITIALISED = "dev.untrusted.StaticInitialiserProbe.initialised";

	static {
		System.setProperty(INITIALISED, "true");
	}

	/** A value of a class the bridge may not read back. */
	public record Page(int number) {
	}

}
