package dev.redisstarter.autoconfigure;

import java.time.Duration;

/**
 * Operations console settings, under {@code redis.starter.console}.
 */
public class ConsoleProperties {

	/**
	 * Whether the operations console (a web page and its JSON API) is served. Off by default.
	 */
	private boolean enabled;

	/**
	 * Where the console is served; its JSON API is under this path followed by api/.
	 */
	private String path = "/redis-starter/";

	/**
	 * Whether the console's write actions (retry, delete and pause jobs, replay dead letters) are allowed; without
	 * it they answer 403.
	 */
	private boolean writeEnabled;

	/**
	 * The role a user needs when Spring Security is on the classpath (HttpServletRequest.isUserInRole: with Spring
	 * Security the authority ROLE_ followed by this).
	 */
	private String role = "REDIS_STARTER_CONSOLE";

	/**
	 * Whether the console is served without Spring Security on the classpath (to anyone who reaches the port).
	 * Ignored when Spring Security is present: the role is then required.
	 */
	private boolean allowWithoutSecurity;

	/**
	 * How long each of the console's Redis calls waits for Redis; independent of spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofSeconds(2);

	/**
	 * How many keys the server insight samples per Redis node with SCAN and MEMORY USAGE, at most.
	 */
	private int sampleSize = 1000;

	/**
	 * How long the server insight samples keys per Redis node, at most; the sample stops at whichever of the size
	 * and the time comes first.
	 */
	private Duration sampleTimeBudget = Duration.ofMillis(250);

	/**
	 * How many SLOWLOG entries the server insight shows per Redis node.
	 */
	private int slowlogEntries = 20;

	/**
	 * How many jobs or dead letters a list shows at most.
	 */
	private int listSize = 50;

	/**
	 * How many characters of a payload a list shows; the job's own view shows it whole.
	 */
	private int payloadPreview = 200;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isWriteEnabled() {
		return this.writeEnabled;
	}

	public void setWriteEnabled(boolean writeEnabled) {
		this.writeEnabled = writeEnabled;
	}

	public String getRole() {
		return this.role;
	}

	public void setRole(String role) {
		this.role = role;
	}

	public boolean isAllowWithoutSecurity() {
		return this.allowWithoutSecurity;
	}

	public void setAllowWithoutSecurity(boolean allowWithoutSecurity) {
		this.allowWithoutSecurity = allowWithoutSecurity;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public int getSampleSize() {
		return this.sampleSize;
	}

	public void setSampleSize(int sampleSize) {
		this.sampleSize = sampleSize;
	}

	public Duration getSampleTimeBudget() {
		return this.sampleTimeBudget;
	}

	public void setSampleTimeBudget(Duration sampleTimeBudget) {
		this.sampleTimeBudget = sampleTimeBudget;
	}

	public int getSlowlogEntries() {
		return this.slowlogEntries;
	}

	public void setSlowlogEntries(int slowlogEntries) {
		this.slowlogEntries = slowlogEntries;
	}

	public int getListSize() {
		return this.listSize;
	}

	public void setListSize(int listSize) {
		this.listSize = listSize;
	}

	public int getPayloadPreview() {
		return this.payloadPreview;
	}

	public void setPayloadPreview(int payloadPreview) {
		this.payloadPreview = payloadPreview;
	}

}
