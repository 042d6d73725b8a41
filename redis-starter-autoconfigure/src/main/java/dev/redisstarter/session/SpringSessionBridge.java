package dev.redisstarter.session;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.PrincipalNameIndexResolver;
import org.springframework.session.Session;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ScriptRunner;

import static dev.redisstarter.core.ScriptArgs.utf8;
import static dev.redisstarter.session.SessionHash.text;

/**
 * Spring Session's {@link FindByIndexNameSessionRepository} on the starter's sessions: the keys, per-user index,
 * sliding and absolute expiry, per-user limit and size bound of {@link RedisSessionService}, so that
 * {@code @EnableSpringHttpSession} applications and Spring Security's {@code SpringSessionBackedSessionRegistry}
 * (concurrent session control, "log out everywhere") run on them.
 * <p>
 * Storage is {@link RedisSessionService}'s: {@code <prefix>session:{<tag>}:s:<id>} (hash: {@code user},
 * {@code created}, {@code accessed}, {@code absolute}, {@code idle}, {@code a:<name>} per attribute as JSON, see
 * {@link SessionAttributeCodec}; expiring at the idle expiry, never after {@code absolute}) and
 * {@code <prefix>session:{<tag>}:u:<principal>} (sorted set of the principal's session ids, pruned of ended
 * sessions whenever a session enters it or it is listed, expiring with its longest-lived session). A session's id
 * carries the tag of its principal (a random one while anonymous), so a session and its principal's index share a
 * Cluster slot. Commands per operation:
 * <ul>
 * <li>{@link #createSession}: none (the session is written by its first save);</li>
 * <li>{@link #save}: nothing when the session was only marked used and its read already slid the expiry; else
 * {@code save.lua} (attributes changed or removed, id changed with {@code RENAME}, expiry slid, index kept, limit
 * applied: one atomic script); when the principal changes to one whose tag differs, the session
 * moves: {@code destroy.lua} on the old key, then {@code save.lua} creates it under a new id with the new tag,
 * keeping its creation time, absolute deadline and attributes;</li>
 * <li>{@link #findById}: {@code read.lua} (slides the expiry when {@code touch-on-read});</li>
 * <li>{@link #deleteById}: {@code read.lua} without sliding (for the event), then {@code destroy.lua};</li>
 * <li>{@link #findByPrincipalName}: {@code list.lua} on the principal's index.</li>
 * </ul>
 * Events: {@link SessionCreatedEvent} on a first save, {@link SessionDeletedEvent} on {@link #deleteById} and for
 * sessions evicted by the per-user limit, {@link SessionExpiredEvent} only when a read or save finds a session past
 * its absolute deadline (rare: its key expires at that deadline). A session that ends by expiring is not announced:
 * there is no keyspace notification to learn it from. Calls fail within the session deadline with
 * {@link SessionStoreUnavailableException} when Redis cannot be reached.
 */
public final class SpringSessionBridge implements FindByIndexNameSessionRepository<BridgedSession> {

	private static final String SECURITY_CONTEXT = "SPRING_SECURITY_CONTEXT";

	private final ScriptRunner scripts;

	private final SessionKeys keys;

	private final SessionSettings settings;

	private final SessionAttributeCodec codec;

	private final SessionMetrics metrics;

	private final @Nullable ApplicationEventPublisher events;

	private final SessionScripts lua = SessionScripts.load();

	private final SessionIds ids = new SessionIds();

	private final SecureRandom random = new SecureRandom();

	private final PrincipalNameIndexResolver<BridgedSession> principals = new PrincipalNameIndexResolver<>();

	/**
	 * A bridge on a connection factory of its own (without Spring Boot), with the default session deadline
	 * ({@link RedisSessionService#DEFAULT_DEADLINE}) and no metrics.
	 * @param connectionFactory where connections come from
	 * @param keys the key naming
	 * @param settings expiry and limits ({@code ttl} is a new session's max inactive interval)
	 * @param codec writes and reads attribute values
	 * @param events where Spring Session's events are published, or {@code null}
	 */
	public SpringSessionBridge(RedisConnectionFactory connectionFactory, KeyNaming keys, SessionSettings settings,
			SessionAttributeCodec codec, @Nullable ApplicationEventPublisher events) {
		this(RedisAccess.of(connectionFactory).calls(Feature.SESSION, RedisSessionService.DEFAULT_DEADLINE), keys,
				settings, codec, new SessionMetrics(null), events);
	}

	/**
	 * A bridge.
	 * @param calls the session calls, each bounded by the session deadline
	 * @param keys the key naming
	 * @param settings expiry and limits ({@code ttl} is a new session's max inactive interval)
	 * @param codec writes and reads attribute values
	 * @param metrics where session events are counted
	 * @param events where Spring Session's events are published, or {@code null}
	 */
	public SpringSessionBridge(RedisCalls calls, KeyNaming keys, SessionSettings settings, SessionAttributeCodec codec,
			SessionMetrics metrics, @Nullable ApplicationEventPublisher events) {
		this.scripts = new ScriptRunner(calls);
		this.keys = new SessionKeys(Objects.requireNonNull(keys, "keys must not be null"));
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.codec = Objects.requireNonNull(codec, "codec must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.events = events;
	}

	/** A new anonymous session, in a random slot; nothing is written until it is saved. */
	@Override
	public BridgedSession createSession() {
		byte[] random = new byte[2];
		this.random.nextBytes(random);
		Instant now = Instant.now();
		return new BridgedSession(this, newId(HexFormat.of().formatHex(random)), null, "", Map.of(), now, now,
				now.plus(this.settings.maxLifetime()), this.settings.ttl());
	}

	@Override
	public void save(BridgedSession session) {
		if (session.nothingToSave()) {
			return;
		}
		String principal = session.principalMayHaveChanged() ? principalOf(session) : session.getStoredPrincipal();
		String principalTag = principal.isEmpty() ? session.tag() : SessionIds.tag(principal);
		if (session.isNew()) {
			if (!principalTag.equals(session.tag())) {
				session.moveTo(newId(principalTag));
			}
			write(session, principal, true, encodeChanges(session, true), null);
		}
		else if (!principalTag.equals(session.tag())) {
			move(session, principal, principalTag);
		}
		else {
			write(session, principal, false, encodeChanges(session, false), null);
		}
	}

	/**
	 * Moves a session to its new principal's slot: ends it under its old id, then writes it whole under a new
	 * id. Ended first, so that a session logged out meanwhile is not brought back; if Redis fails between the
	 * two, the session is lost and its user signs in again.
	 */
	private void move(BridgedSession session, String principal, String principalTag) {
		String storedId = Objects.requireNonNull(session.storedId());
		// Encoded and bounded before the old session ends, so that a value that cannot be written fails the save
		// with the session still there.
		Map<String, byte[]> all = new LinkedHashMap<>(session.unchangedStored());
		all.putAll(encodeChanges(session, true));
		long size = size(all);
		if (size > this.settings.maxSize()) {
			throw tooLarge(size);
		}
		List<Object> ended = run("move a session", () -> this.scripts.multi(this.lua.destroy(), 1,
				utf8(this.keys.session(session.tag(), storedId)), utf8("one"), utf8(storedId),
				utf8(this.keys.index(session.tag(), ""))));
		if (ended.size() < 2) {
			return;
		}
		session.moveTo(newId(principalTag));
		write(session, principal, true, all, session);
	}

	/**
	 * Runs {@code save.lua}.
	 * @param create whether the session is written as new
	 * @param moved the session moved from another slot, whose times are kept, or {@code null}
	 */
	private void write(BridgedSession session, String principal, boolean create, Map<String, byte[]> attributes,
			@Nullable BridgedSession moved) {
		String tag = session.tag();
		String from = (create || session.storedId() == null) ? session.getId() : session.storedId();
		Duration idle = session.getMaxInactiveInterval();
		long idleMillis = (idle.isNegative() || idle.isZero()) ? this.settings.maxLifetime().toMillis()
				: Math.max(1, idle.toMillis());
		List<byte[]> args = new ArrayList<>();
		args.add(utf8(this.keys.session(tag, from)));
		args.add(utf8(this.keys.session(tag, session.getId())));
		args.add(utf8(create ? "create" : "update"));
		args.add(utf8(from));
		args.add(utf8(session.getId()));
		args.add(utf8(principal));
		args.add(utf8(this.keys.session(tag, "")));
		args.add(utf8(this.keys.index(tag, "")));
		args.add(utf8(Long.toString(idleMillis)));
		args.add(utf8(Long.toString(this.settings.maxLifetime().toMillis())));
		args.add(utf8((moved != null) ? Long.toString(moved.getCreationTime().toEpochMilli()) : ""));
		args.add(utf8((moved != null) ? Long.toString(moved.getAbsoluteDeadline().toEpochMilli()) : ""));
		args.add(utf8(Integer.toString(this.settings.maxPerUser())));
		args.add(utf8((this.settings.limitPolicy() == SessionSettings.LimitPolicy.REFUSE) ? "refuse" : "evict-oldest"));
		args.add(utf8(Long.toString(this.settings.maxSize())));
		args.add(utf8((create || session.touched()) ? "1" : "0"));
		for (Map.Entry<String, byte[]> attribute : attributes.entrySet()) {
			args.add(utf8(attribute.getKey()));
			args.add(attribute.getValue());
		}
		long size = size(attributes);
		if (size > this.settings.maxSize()) {
			throw tooLarge(size);
		}
		List<Object> reply = run("save a session",
				() -> this.scripts.multi(this.lua.save(), 2, args.toArray(byte[][]::new)));
		long outcome = (Long) reply.get(0);
		if (outcome == 0L) {
			// Ended or given another id meanwhile (a logout, a concurrent changeSessionId): not brought back.
			return;
		}
		if (outcome == -1L) {
			throw new SessionLimitExceededException(principal, this.settings.maxPerUser());
		}
		if (outcome == -2L) {
			throw tooLarge((Long) reply.get(1));
		}
		if (outcome == -3L) {
			ended(SessionEvent.Kind.EXPIRED, new MapSession(from));
			return;
		}
		Map<String, byte[]> written = new LinkedHashMap<>(attributes);
		written.values().removeIf(value -> value.length == 0);
		session.saved(principal, written, Instant.ofEpochMilli((Long) reply.get(1)),
				Instant.ofEpochMilli((Long) reply.get(2)), Instant.ofEpochMilli((Long) reply.get(4)));
		for (int i = 6; i < reply.size(); i++) {
			ended(SessionEvent.Kind.EVICTED, new MapSession(text(reply.get(i))));
		}
		if (create && moved == null) {
			this.metrics.record(SessionEvent.Kind.CREATED);
			publish(new SessionCreatedEvent(this, session));
		}
	}

	/** The bytes attributes take as {@code save.lua} counts them: names and values, removals nothing. */
	private static long size(Map<String, byte[]> attributes) {
		long size = 0;
		for (Map.Entry<String, byte[]> attribute : attributes.entrySet()) {
			size += (attribute.getValue().length > 0) ? utf8(attribute.getKey()).length + attribute.getValue().length : 0;
		}
		return size;
	}

	@Override
	public @Nullable BridgedSession findById(String id) {
		return read(id, this.settings.touchOnRead());
	}

	private @Nullable BridgedSession read(String id, boolean touch) {
		String tag = SessionIds.tagOf(id);
		if (tag == null) {
			return null;
		}
		String key = this.keys.session(tag, id);
		List<Object> reply = run("read a session", () -> this.scripts.multi(this.lua.read(), 1, utf8(key),
				utf8(touch ? "1" : "0"), utf8(Long.toString(this.settings.ttl().toMillis()))));
		if (reply.isEmpty()) {
			return null;
		}
		if ("expired".equals(text(reply.get(0)))) {
			ended(SessionEvent.Kind.EXPIRED, new MapSession(id));
			return null;
		}
		Optional<BridgedSession> session = parse(id, reply.subList(3, reply.size()));
		if (session.isEmpty()) {
			destroy(id, tag);
			return null;
		}
		if (touch) {
			session.get().slidOnRead();
		}
		return session.get();
	}

	@Override
	public void deleteById(String id) {
		String tag = SessionIds.tagOf(id);
		if (tag == null) {
			return;
		}
		BridgedSession session = read(id, false);
		if (destroy(id, tag)) {
			ended(SessionEvent.Kind.DESTROYED, (session != null) ? session : new MapSession(id));
		}
	}

	private boolean destroy(String id, String tag) {
		List<Object> reply = run("destroy a session", () -> this.scripts.multi(this.lua.destroy(), 1,
				utf8(this.keys.session(tag, id)), utf8("one"), utf8(id), utf8(this.keys.index(tag, ""))));
		return reply.size() > 1;
	}

	/**
	 * The live sessions of a principal, when {@code indexName} is {@link #PRINCIPAL_NAME_INDEX_NAME}; no other
	 * index is kept, so any other name finds nothing.
	 */
	@Override
	public Map<String, BridgedSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		if (!PRINCIPAL_NAME_INDEX_NAME.equals(indexName) || indexValue == null || indexValue.isEmpty()
				|| indexValue.length() > this.settings.maxUserIdLength()) {
			return Collections.emptyMap();
		}
		String tag = SessionIds.tag(indexValue);
		List<Object> reply = run("list the sessions of user " + Masking.mask(indexValue), () -> this.scripts.multi(
				this.lua.list(), 1, utf8(this.keys.index(tag, indexValue)), utf8(this.keys.session(tag, ""))));
		Map<String, BridgedSession> sessions = new LinkedHashMap<>();
		int i = 0;
		while (i < reply.size()) {
			String id = text(reply.get(i));
			int fieldCount = ((Long) reply.get(i + 2)).intValue();
			List<Object> fields = reply.subList(i + 3, i + 3 + fieldCount);
			i += 3 + fieldCount;
			parse(id, fields).ifPresent(session -> sessions.put(id, session));
		}
		return sessions;
	}

	/** A session from its hash fields; empty when a field every session has is missing. */
	private Optional<BridgedSession> parse(String id, List<Object> fields) {
		return SessionHash.of(fields).map((hash) -> new BridgedSession(this, id, id, hash.user(), hash.attributes(),
				Instant.ofEpochMilli(hash.created()), Instant.ofEpochMilli(hash.accessed()),
				Instant.ofEpochMilli(hash.absolute()),
				(hash.idle() != null) ? Duration.ofMillis(hash.idle()) : this.settings.ttl()));
	}

	/** The changed attributes, encoded; a removed one as an empty value unless the session is written whole. */
	private Map<String, byte[]> encodeChanges(BridgedSession session, boolean whole) {
		Map<String, byte[]> encoded = new LinkedHashMap<>();
		session.changes().forEach((name, value) -> {
			if (name.isEmpty()) {
				throw new IllegalArgumentException("Session attribute names must not be empty");
			}
			if (value != null) {
				encoded.put(name, this.codec.encode(name, value));
			}
			else if (!whole) {
				encoded.put(name, new byte[0]);
			}
		});
		return encoded;
	}

	private String principalOf(BridgedSession session) {
		String principal = this.principals.resolveIndexValueFor(session);
		if (principal == null) {
			return "";
		}
		if (principal.length() > this.settings.maxUserIdLength()) {
			throw new InputLimitExceededException("A session principal name", principal.length(),
					this.settings.maxUserIdLength(), "characters", "redis.starter.session.max-user-id-length");
		}
		return principal;
	}

	/** Whether an attribute is one Spring Session reads the principal name from. */
	static boolean namesPrincipal(String attribute) {
		return PRINCIPAL_NAME_INDEX_NAME.equals(attribute) || SECURITY_CONTEXT.equals(attribute);
	}

	String newId(String tag) {
		return this.ids.newIdWithTag(tag);
	}

	Optional<Object> decode(String id, byte[] encoded) {
		String tag = SessionIds.tagOf(id);
		return this.codec.decode(this.keys.session((tag != null) ? tag : "", id), encoded);
	}

	private void ended(SessionEvent.Kind kind, Session session) {
		this.metrics.record(kind);
		publish((kind == SessionEvent.Kind.EXPIRED) ? new SessionExpiredEvent(this, session)
				: new SessionDeletedEvent(this, session));
	}

	private void publish(AbstractSessionEvent event) {
		if (this.events != null) {
			this.events.publishEvent(event);
		}
	}

	private InputLimitExceededException tooLarge(long size) {
		return new InputLimitExceededException("Session data", size, this.settings.maxSize(), "bytes",
				"redis.starter.session.max-size");
	}

	private <T> T run(String operation, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (DataAccessException ex) {
			throw new SessionStoreUnavailableException(operation, ex);
		}
	}

}
