package dev.redisstarter.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.session.Session;

/**
 * A session read or created through the {@link SpringSessionBridge}: its stored state, and what changed since,
 * which the next {@link SpringSessionBridge#save save} writes in one script. Attribute values are read back only
 * when asked for (a request that never looks at the security context never deserializes it). Not thread-safe,
 * like Spring Session's own sessions: one request uses it at a time.
 */
public final class BridgedSession implements Session {

	/** Marks a removed attribute among the changes. */
	private static final Object REMOVED = new Object();

	private final SpringSessionBridge bridge;

	private String id;

	private @Nullable String storedId;

	private String tag;

	private String principal;

	private final Map<String, byte[]> stored;

	private final Map<String, Object> decoded = new LinkedHashMap<>();

	private final Map<String, Object> changes = new LinkedHashMap<>();

	private Instant created;

	private Instant lastAccessed;

	private Instant absolute;

	private Duration maxInactive;

	private boolean touched;

	private boolean maxInactiveChanged;

	/** Whether the read that made this object slid the expiry, so that marking it used needs no second write. */
	private boolean slidOnRead;

	BridgedSession(SpringSessionBridge bridge, String id, @Nullable String storedId, String principal,
			Map<String, byte[]> stored, Instant created, Instant lastAccessed, Instant absolute, Duration maxInactive) {
		this.bridge = bridge;
		this.id = id;
		this.storedId = storedId;
		this.tag = SessionIds.tagOf(id);
		this.principal = principal;
		this.stored = new LinkedHashMap<>(stored);
		this.created = created;
		this.lastAccessed = lastAccessed;
		this.absolute = absolute;
		this.maxInactive = maxInactive;
	}

	@Override
	public String getId() {
		return this.id;
	}

	/** Gives the session a new id in the same slot; the next save renames it atomically and the old id stops working. */
	@Override
	public String changeSessionId() {
		this.id = this.bridge.newId(this.tag);
		return this.id;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T getAttribute(String name) {
		if (this.changes.containsKey(name)) {
			Object value = this.changes.get(name);
			return (value == REMOVED) ? null : (T) value;
		}
		if (this.decoded.containsKey(name)) {
			return (T) this.decoded.get(name);
		}
		byte[] encoded = this.stored.get(name);
		if (encoded == null) {
			return null;
		}
		Object value = this.bridge.decode(this.id, encoded).orElse(null);
		this.decoded.put(name, value);
		return (T) value;
	}

	@Override
	public Set<String> getAttributeNames() {
		Set<String> names = new LinkedHashSet<>(this.stored.keySet());
		this.changes.forEach((name, value) -> {
			if (value == REMOVED) {
				names.remove(name);
			}
			else {
				names.add(name);
			}
		});
		return Collections.unmodifiableSet(names);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		if (value == null) {
			removeAttribute(name);
			return;
		}
		this.changes.put(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		this.changes.put(name, REMOVED);
	}

	@Override
	public Instant getCreationTime() {
		return this.created;
	}

	/**
	 * Marks the session used: the next save slides its idle expiry from the Redis server's clock (the instant
	 * given is kept for {@link #getLastAccessedTime} until then, not stored).
	 */
	@Override
	public void setLastAccessedTime(Instant lastAccessedTime) {
		this.lastAccessed = lastAccessedTime;
		this.touched = true;
	}

	@Override
	public Instant getLastAccessedTime() {
		return this.lastAccessed;
	}

	/**
	 * Sets this session's own idle time to live. Zero or negative (which Spring Session reads as "never") means
	 * the session only ends at its absolute deadline ({@code redis.starter.session.max-lifetime}).
	 */
	@Override
	public void setMaxInactiveInterval(Duration interval) {
		this.maxInactive = interval;
		this.maxInactiveChanged = true;
	}

	@Override
	public Duration getMaxInactiveInterval() {
		return this.maxInactive;
	}

	/** Whether the session is past its idle expiry or its absolute deadline, by this machine's clock. */
	@Override
	public boolean isExpired() {
		Instant now = Instant.now();
		boolean idle = !this.maxInactive.isNegative() && !this.maxInactive.isZero()
				&& !now.isBefore(this.lastAccessed.plus(this.maxInactive));
		return idle || !now.isBefore(this.absolute);
	}

	/**
	 * When the session ends however busy it is.
	 * @return its absolute deadline (for a session not yet saved, an estimate from this machine's clock)
	 */
	public Instant getAbsoluteDeadline() {
		return this.absolute;
	}

	/**
	 * Its principal as last saved.
	 * @return the principal name, or {@code ""} for an anonymous session
	 */
	public String getStoredPrincipal() {
		return this.principal;
	}

	// The bridge's view of the state.

	@Nullable String storedId() {
		return this.storedId;
	}

	String tag() {
		return this.tag;
	}

	boolean isNew() {
		return this.storedId == null;
	}

	boolean touched() {
		return this.touched || this.maxInactiveChanged;
	}

	void slidOnRead() {
		this.slidOnRead = true;
	}

	/**
	 * Whether a save has nothing to write: no attribute, id or idle time changed, and any use already slid the
	 * expiry when the session was read (Spring Session's filter marks every session it reads as used).
	 */
	boolean nothingToSave() {
		return !isNew() && this.changes.isEmpty() && !this.maxInactiveChanged && this.id.equals(this.storedId)
				&& (!this.touched || this.slidOnRead);
	}

	boolean principalMayHaveChanged() {
		return isNew() || this.changes.keySet().stream().anyMatch(SpringSessionBridge::namesPrincipal);
	}

	/** The changes since the last save: name to value, {@code null} for removed. */
	Map<String, @Nullable Object> changes() {
		Map<String, @Nullable Object> changes = new LinkedHashMap<>();
		this.changes.forEach((name, value) -> changes.put(name, (value == REMOVED) ? null : value));
		return changes;
	}

	/** The attributes stored and not changed since, as stored. */
	Map<String, byte[]> unchangedStored() {
		Map<String, byte[]> unchanged = new LinkedHashMap<>(this.stored);
		unchanged.keySet().removeAll(this.changes.keySet());
		return unchanged;
	}

	/** Takes on a new id in another slot (a principal's sessions share the slot of its tag). */
	void moveTo(String newId) {
		this.id = newId;
		this.tag = SessionIds.tagOf(newId);
	}

	/** Records a successful save: what was written is now the stored state. */
	void saved(String principal, Map<String, byte[]> written, Instant created, Instant accessed, Instant absolute) {
		this.storedId = this.id;
		this.principal = principal;
		this.changes.forEach((name, value) -> {
			if (value == REMOVED) {
				this.decoded.remove(name);
			}
			else {
				this.decoded.put(name, value);
			}
		});
		this.stored.keySet().removeAll(this.changes.keySet());
		this.stored.putAll(written);
		this.changes.clear();
		this.created = created;
		if (accessed.toEpochMilli() > 0) {
			this.lastAccessed = accessed;
		}
		this.absolute = absolute;
		this.touched = false;
		this.maxInactiveChanged = false;
		this.slidOnRead = false;
	}

}
