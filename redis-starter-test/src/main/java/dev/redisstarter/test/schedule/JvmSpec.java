package dev.redisstarter.test.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run in a separate JVM: a main class on the current classpath, its arguments and system properties.
 * The JVM is the one running the caller ({@code java.home}) with the caller's classpath
 * ({@code java.class.path}), so a test can start its own application's main classes, and small heap and JIT
 * options that keep several such JVMs light.
 *
 * @param name a name for logs and thread names, such as {@code consumer-1}
 * @param mainClass the fully qualified main class
 * @param args the program arguments
 * @param systemProperties passed as {@code -Dname=value}
 * @param jvmOptions other JVM options, before the main class
 */
public record JvmSpec(String name, String mainClass, List<String> args, Map<String, String> systemProperties,
		List<String> jvmOptions) {

	/** The options {@link #of(String, Class)} starts with: a small heap, a quick JIT, the serial collector. */
	public static final List<String> LIGHT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC", "-Xss512k");

	/**
	 * Copies the lists and maps; rejects blank names.
	 * @param name the name
	 * @param mainClass the main class
	 * @param args the arguments
	 * @param systemProperties the system properties
	 * @param jvmOptions the JVM options
	 */
	public JvmSpec {
		if (name.isBlank() || mainClass.isBlank()) {
			throw new IllegalArgumentException("name and mainClass must not be blank");
		}
		args = List.copyOf(args);
		systemProperties = Map.copyOf(systemProperties);
		jvmOptions = List.copyOf(jvmOptions);
	}

	/**
	 * A JVM that runs a main class with no arguments, with {@link #LIGHT_JVM_OPTIONS}.
	 * @param name the name
	 * @param mainClass a class with a {@code public static void main(String[])}
	 * @return the spec
	 */
	public static JvmSpec of(String name, Class<?> mainClass) {
		return new JvmSpec(name, mainClass.getName(), List.of(), Map.of(), LIGHT_JVM_OPTIONS);
	}

	/**
	 * The same spec with one more system property.
	 * @param property the property's name
	 * @param value its value
	 * @return a new spec
	 */
	public JvmSpec withSystemProperty(String property, String value) {
		Map<String, String> properties = new LinkedHashMap<>(this.systemProperties);
		properties.put(property, value);
		return new JvmSpec(this.name, this.mainClass, this.args, properties, this.jvmOptions);
	}

	/**
	 * The same spec with more system properties.
	 * @param properties names mapped to values
	 * @return a new spec
	 */
	public JvmSpec withSystemProperties(Map<String, String> properties) {
		Map<String, String> merged = new LinkedHashMap<>(this.systemProperties);
		merged.putAll(properties);
		return new JvmSpec(this.name, this.mainClass, this.args, merged, this.jvmOptions);
	}

	/**
	 * The same spec with other program arguments.
	 * @param arguments the arguments
	 * @return a new spec
	 */
	public JvmSpec withArgs(String... arguments) {
		return new JvmSpec(this.name, this.mainClass, List.of(arguments), this.systemProperties, this.jvmOptions);
	}

	/**
	 * The same spec with the given name, for a second process of the same kind.
	 * @param otherName the name
	 * @return a new spec
	 */
	public JvmSpec withName(String otherName) {
		return new JvmSpec(otherName, this.mainClass, this.args, this.systemProperties, this.jvmOptions);
	}

	List<String> command() {
		List<String> command = new ArrayList<>();
		command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(this.jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		this.systemProperties.forEach((property, value) -> command.add("-D" + property + "=" + value));
		command.add(this.mainClass);
		command.addAll(this.args);
		return command;
	}

}
